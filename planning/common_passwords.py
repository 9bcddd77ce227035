"""Passwords too common to accept, checked by `planning.users` when one is set.

Written by hand for this project (no outside list copied): the passwords and
patterns that head every published breach-frequency ranking — keyboard walks,
digit runs, "password"/"welcome"/"admin" words, names of months, seasons, sports
and pets, and Chinese-market favourites (pinyin, "woaini", "5201314"). About 260
entries; `users.check_password` also refuses these with digits or symbols added
at either end ("Password123!", "2024qwerty"), so the list stays short.
"""

from __future__ import annotations

_LIST = """
123456 123456789 12345678 1234567890 12345 1234567 123123 111111 000000 654321
1234 123 12345678910 0987654321 987654321 1111111 11111111 111111111 1234qwer
123321 112233 121212 131313 123654 159753 147258369 147258 159357 741852963
666666 888888 88888888 66666666 99999999 77777777 55555555 22222222 12341234
11223344 1q2w3e4r 1q2w3e4r5t 1qaz2wsx 1qazxsw2 zaq12wsx qazwsx qazwsxedc
qwerty qwerty123 qwertyuiop qwertyui qwert asdfgh asdfghjkl asdf1234 zxcvbnm
zxcvbn asdfasdf qweasd qweasdzxc qwe123 abc123 abcd1234 abcdef abcdefg
abcdefgh a1b2c3d4 aa123456 a123456 a12345678 q1w2e3r4 password password1
password12 password123 passw0rd p@ssw0rd p@ssword pass1234 passwort motdepasse
contrasena senha wachtwoord haslo salasana parola lozinka iloveyou iloveu
loveyou lovely loveme welcome welcome1 welcome123 admin admin123 admin1234
administrator root toor letmein letmein1 changeme default guest user test
test123 test1234 testing secret secret123 trustno1 master master123 login
access access14 shadow monkey dragon football baseball basketball soccer hockey
superman batman spiderman starwars pokemon naruto princess sunshine flower
butterfly chocolate cookie cheese pepper ginger summer winter spring autumn
january february march april august september october november december
monday friday sunday michael jennifer jessica charlie jordan thomas daniel
robert hunter ranger buster tigger killer whatever freedom matrix mustang
harley corvette ferrari porsche mercedes computer internet samsung iphone
google facebook linkedin microsoft yahoo hotmail qwerty1 qwerty12 asdf
woaini woaini1314 woaini520 5201314 1314520 520520 aini1314 zhang123
wang123 li123456 liu123456 chen123456 huang123 zhangwei wangwei xiaoming
nihao nihao123 baobao beibei tiantian mingming qq123456 wechat taobao
a5201314 789456123 789456 456789 147852369 963852741 yangyang
callcenter contactcenter helpdesk support support123 service customer
company company123 office office123 planner planning schedule roster
workforce wfm12345 hello hello123 hello1234 hi123456 goodluck fuckyou
asshole biteme blahblah nothing azerty azertyuiop q1w2e3 1q2w3e zaq1zaq1
123qwe 123abc 123asd 321654 123789 000000000 10203040 7777777 6969
""".split()

COMMON_PASSWORDS = frozenset(_LIST)
"""The common passwords, lower case."""
