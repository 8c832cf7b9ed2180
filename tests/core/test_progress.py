"""The progress bar: hidden for quick builds and off a terminal, drawn otherwise."""

import io

from generator.core.progress import Progress


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_bar_stays_hidden_before_the_delay():
    stream = io.StringIO()
    bar = Progress(10, "构建", stream=stream, delay=3600, enabled=True)
    bar.advance(5)
    bar.close()
    assert stream.getvalue() == ""
    assert bar.done == 5


def test_bar_draws_when_enabled_and_the_delay_has_passed():
    stream = io.StringIO()
    bar = Progress(10, "构建", stream=stream, delay=0, enabled=True)
    bar.advance(5)
    assert stream.getvalue() == "\r构建 [###############...............]  50% 5/10"


def test_close_draws_the_final_state_and_ends_the_line():
    stream = io.StringIO()
    bar = Progress(4, "构建", stream=stream, delay=0, enabled=True)
    bar.advance()
    bar.advance(3)
    bar.close()
    assert stream.getvalue().endswith("\r构建 [##############################] 100% 4/4\n")


def test_disabled_bar_never_draws():
    stream = Terminal()
    bar = Progress(10, "构建", stream=stream, delay=0, enabled=False)
    bar.advance(10)
    bar.close()
    assert stream.getvalue() == ""


def test_bar_is_enabled_only_on_a_terminal_by_default():
    assert Progress(1, "构建", stream=Terminal()).enabled
    assert not Progress(1, "构建", stream=io.StringIO()).enabled


def test_bar_fill_and_percentage_stop_at_full_when_steps_overshoot():
    stream = io.StringIO()
    bar = Progress(2, "构建", stream=stream, delay=0, enabled=True)
    bar.advance(3)
    assert stream.getvalue().startswith("\r构建 [##############################] 100% ")


def test_empty_job_does_not_divide_by_zero():
    stream = io.StringIO()
    bar = Progress(0, "构建", stream=stream, delay=0, enabled=True)
    bar.close()
    bar.advance()
    assert stream.getvalue() == "\r构建 [##############################] 100% 1/1"
