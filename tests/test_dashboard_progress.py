"""The dashboard's progress bar moves when the roster solver reports from its own threads."""

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import threading

    import streamlit as st

    from dashboard import state

    _, on = state.step_progress(lambda step: f"computing {step}")
    errors: list[str] = []

    def solver_worker() -> None:
        try:
            on("roster", 0.5)
        except Exception as exc:  # noqa: BLE001 - the test reports what a worker raised
            errors.append(type(exc).__name__)

    worker = threading.Thread(target=solver_worker)
    worker.start()
    worker.join()
    st.write(f"errors: {errors}")


def test_progress_from_a_solver_thread_moves_the_bar() -> None:
    at = AppTest.from_function(_script, default_timeout=30).run()
    assert not at.exception
    assert at.markdown[0].value == "errors: []"
    bar = at.get("progress")[0]
    assert bar.proto.value == 62  # roster is step 3 of 4: (2 + 0.5) / 4
    assert bar.proto.text == "computing roster"
