"""Problems as GitHub Actions annotations, shown on the changed lines of a pull request."""

from __future__ import annotations

from generator.errors import Problem


def github_annotation(problem: Problem) -> str:
    """A problem as a GitHub Actions workflow command: an annotation at its file, line and column."""

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    field = f"{problem.field}: " if problem.field else ""
    hint = f" — {problem.hint}" if problem.hint else ""
    return (f"::error file={prop(problem.path)},line={problem.line},col={problem.column},title={prop('目录数据错误')}::"
            f"{data(field + problem.message + hint)}")
