"""Brief templates (Jinja2) and sandboxed rendering to Markdown or HTML.

Templates are Markdown with Jinja2 (`<name>.md.j2`). A folder configured as
`[briefs] template_dir` is searched before the built-ins, so a file there with
a built-in's name overrides it. The built-ins are the shared ones here and each
platform's own (`Platform.brief_templates`, a folder in its package). Rendering runs in an immutable sandbox with
strict undefined: a template cannot reach Python internals, and a missing or
misspelt variable stops rendering with an error naming it. User data
(partner names, --var values) is only ever passed to templates as values,
never compiled as template code.

HTML is the same Markdown template rendered with autoescaping on (and every
value's Markdown punctuation escaped), turned into HTML by markdown-it with raw
HTML disabled, inside a small autoescaped page template.

Limits, so a template from `[briefs] template_dir` cannot hang or exhaust the
machine: rendering stops after RENDER_SECONDS (checked on every line the
template runs, so nested loops are caught), output stops at MAX_OUTPUT
characters, and repeats, powers, concatenations and size arguments (`center`,
`ljust`, `indent`...) are bounded. A template may include or import another
template from the template folders by its name (`_footer` or `_footer.md.j2`);
a path (`../x`, `/etc/passwd`) is refused as forbidden, and a missing one is
named as the included template, not as the brief.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import time
import tomllib
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import registry
from core.errors import ConfigError, SocialError

if TYPE_CHECKING:
    from jinja2 import Environment

BUILTIN_DIR = Path(__file__).parent / "templates"
SUFFIX = ".md.j2"
PAGE_TEMPLATE = "_page.html.j2"
FORMATS = ("md", "html")
# Names every brief gets from the database; user variables may not replace them.
RESERVED = frozenset(
    {"partner", "campaign", "deadline", "deadline_iso", "hashtags", "language", "sender", "title"}
)
_FRONT_MATTER = re.compile(r"\A\s*\{#-?(.*?)-?#\}", re.DOTALL)
_UNSAFE = re.compile(r"access to attribute '([^']*)' of '([^']*)' object is unsafe")
_UNDEFINED = re.compile(r"^'([^']*)' is undefined$")
_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']*)'")
# Markdown punctuation in values; not & < > " ' which autoescaping turns into entities (a
# backslash before an entity would make it print literally).
_MD_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:])")
# Limits on what a template may compute, so a brief cannot exhaust memory or CPU.
MAX_REPEAT = 10_000
MAX_POWER = 100
MAX_SIZE = 200_000  # longest text or list a template may build (a brief is a few kB)
MAX_ARG = 100_000  # largest number passed to a call (str.center(width), indent, lipsum...)
MAX_OUTPUT = 1_000_000  # characters of rendered brief
RENDER_SECONDS = 5.0
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class TemplateInfo:
    """A brief template: its name, what it is for and the variables it documents."""

    name: str
    title: str
    language: str
    platform: str
    description: str
    variables: dict[str, str] = field(default_factory=dict)
    origin: str = "built-in"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "language": self.language,
            "platform": self.platform,
            "description": self.description,
            "variables": dict(self.variables),
            "origin": self.origin,
        }


def template_dir(config: Any) -> Path | None:
    """The configured override folder ([briefs] template_dir), relative to social.toml."""
    value = str(config.get("briefs", "template_dir") or "").strip()
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = config.base_dir / path
    if not path.is_dir():
        raise ConfigError(
            f"[briefs] template_dir {path} is not a folder; create it or clear the setting"
        )
    return path


def builtin_folders() -> list[Path]:
    """The built-in template folders: the shared one, then each platform's own."""
    found = [BUILTIN_DIR]
    for p in registry.platforms():
        spec = importlib.util.find_spec(p.brief_templates) if p.brief_templates else None
        if spec is not None and spec.submodule_search_locations:
            found += [Path(location) for location in spec.submodule_search_locations]
    return found


def _folders(override: Path | None) -> list[Path]:
    return ([override] if override is not None else []) + builtin_folders()


def list_templates(override: Path | None = None) -> list[TemplateInfo]:
    """Every brief template, override folder first; a name found in both is the override's."""
    seen: dict[str, TemplateInfo] = {}
    builtin = builtin_folders()
    for folder in _folders(override):
        for path in sorted(folder.glob(f"*{SUFFIX}")):
            name = path.name[: -len(SUFFIX)]
            if name.startswith("_") or name in seen:
                continue
            origin = "built-in" if folder in builtin else str(folder)
            info = _info(name, path, origin)
            # Variables the template reads but its header does not document are listed too.
            undocumented = sorted(template_variables(name, override) - set(info.variables))
            seen[name] = replace(
                info, variables={**info.variables, **dict.fromkeys(undocumented, "")}
            )
    return sorted(seen.values(), key=lambda t: t.name)


def get_template(name: str, override: Path | None = None) -> TemplateInfo:
    """One template by name, with a suggestion if the name is unknown."""
    templates = {t.name: t for t in list_templates(override)}
    if name in templates:
        return templates[name]
    import difflib

    close = difflib.get_close_matches(name, list(templates), n=1)
    hint = f"did you mean {close[0]!r}?" if close else "see 'social brief templates'"
    raise SocialError(f"no brief template named {name!r}; {hint}")


def template_variables(name: str, override: Path | None = None) -> set[str]:
    """The variables a template reads that the database does not provide (user variables)."""
    from jinja2 import meta

    env = environment(override, "md")
    source = env.loader.get_source(env, name + SUFFIX)[0] if env.loader else ""
    try:
        found = meta.find_undeclared_variables(env.parse(source))
    except Exception:  # noqa: BLE001 - a syntax error is reported when rendering
        return set()
    return {v for v in found if v not in RESERVED and v not in env.globals}


def _info(name: str, path: Path, origin: str) -> TemplateInfo:
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SocialError(f"{path} is not UTF-8 text; save the template as UTF-8") from exc
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(source)
    if match:
        try:
            meta = tomllib.loads(match.group(1))
        except tomllib.TOMLDecodeError as exc:
            raise SocialError(
                f"{path}: the {{# ... #}} header is not valid TOML ({exc}); fix or remove it"
            ) from exc
    language = str(meta.get("language") or ("en" if name.endswith("_en") else "nb"))
    if language not in ("nb", "en"):
        raise SocialError(f"{path}: language {language!r} is not nb or en; fix the header")
    variables = meta.get("variables") or {}
    return TemplateInfo(
        name=name,
        title=str(meta.get("title") or name),
        language=language,
        platform=str(meta.get("platform") or ""),
        description=str(meta.get("description") or ""),
        variables={str(k): str(v) for k, v in variables.items()},
        origin=origin,
    )


def _md_value(value: Any) -> Any:
    """A value made inert inside Markdown: HTML brackets become entities."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return value.replace("<", "&lt;").replace(">", "&gt;")
    return value


def _html_value(value: Any) -> Any:
    """A value made inert inside Markdown that becomes HTML: punctuation backslash-escaped."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return _MD_PUNCT.sub(r"\\\1", value)
    return value


class IncludeForbidden(Exception):
    """A template tried to include, import or extend something that is not a brief template."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class TooSlow(Exception):
    """Rendering ran past RENDER_SECONDS."""


def _loader(override: Path | None) -> Any:
    """Templates by file name (or template name) from the folders; anything path-like refused."""
    from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, TemplateNotFound

    folders = ChoiceLoader([FileSystemLoader(str(p)) for p in _folders(override)])

    class BriefLoader(BaseLoader):
        def get_source(self, environment: Any, template: str) -> Any:
            if not _NAME.match(template) or ".." in template:
                raise IncludeForbidden(template)
            try:
                return folders.get_source(environment, template)
            except TemplateNotFound:
                if template.endswith(".j2"):
                    raise
                return folders.get_source(environment, template + SUFFIX)

    return BriefLoader()


def environment(override: Path | None, fmt: str, *, markdown: bool = True) -> Environment:
    """The sandboxed environment: override folder first, then the built-ins.

    `fmt` 'html' turns autoescaping on; `markdown` says the template produces Markdown, whose
    values are then made inert for Markdown too.
    """
    from jinja2 import StrictUndefined
    from jinja2.compiler import CodeGenerator
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    class BriefCodeGenerator(CodeGenerator):
        """Routes `a ~ b` through the environment, so its length can be bounded."""

        def visit_Concat(self, node: Any, frame: Any) -> None:  # noqa: N802 - Jinja's naming
            self.write("environment.checked_size(")
            super().visit_Concat(node, frame)
            self.write(")")

    class BriefEnvironment(ImmutableSandboxedEnvironment):
        """The sandbox, also refusing huge repeats, powers, texts and size arguments."""

        intercepted_binops = frozenset({"*", "**", "+"})
        code_generator_class = BriefCodeGenerator

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_POWER:
                raise SecurityError(f"a power of {right} is too large")
            if operator == "*":
                for seq, count in ((left, right), (right, left)):
                    if (
                        isinstance(seq, str | list | tuple)
                        and isinstance(count, int)
                        and len(seq) * count > MAX_REPEAT
                    ):
                        raise SecurityError("a repeated text or list that long is too large")
            growing = operator == "+" and isinstance(left, str | list | tuple)
            if growing and hasattr(right, "__len__") and len(left) + len(right) > MAX_SIZE:
                raise SecurityError("a text or list that long is too large")
            return super().call_binop(context, operator, left, right)

        def checked_size(self, value: Any) -> Any:
            if len(value) > MAX_SIZE:
                raise SecurityError("a text that long is too large")
            return value

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
            for value in (*args, *kwargs.values()):
                if isinstance(value, int | float) and abs(value) > MAX_ARG:
                    raise SecurityError(f"a call with the number {value} is too large")
            return super().call(__context, __obj, *args, **kwargs)

    env = BriefEnvironment(
        loader=_loader(override),
        undefined=StrictUndefined,
        autoescape=fmt == "html",
        finalize=(_html_value if fmt == "html" else _md_value) if markdown else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.pop("lipsum", None)  # filler text generator: nothing a brief needs
    for name in ("center", "indent", "wordwrap", "truncate", "format"):
        env.filters[name] = _bounded(env.filters[name])
    return env


def _bounded(func: Any) -> Any:
    """A filter that refuses numbers above MAX_ARG (a width of 10**9 is a gigabyte)."""
    from jinja2.sandbox import SecurityError

    skip = 2 if hasattr(func, "jinja_pass_arg") else 1  # the environment and the value

    def checked(*args: Any, **kwargs: Any) -> Any:
        for value in (*args[skip:], *kwargs.values()):
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if number and abs(value) > MAX_ARG:
                raise SecurityError(f"a call with the number {value} is too large")
        return func(*args, **kwargs)

    for attribute in ("jinja_pass_arg",):
        if hasattr(func, attribute):
            setattr(checked, attribute, getattr(func, attribute))
    return checked


def render_brief(
    name: str, context: dict[str, Any], *, fmt: str = "md", override: Path | None = None
) -> str:
    """Render a brief template to Markdown or a self-contained HTML page."""
    if fmt not in FORMATS:
        raise SocialError(f"unknown brief format {fmt!r}; use md or html")
    info = get_template(name, override)
    markdown = _render(override, fmt, name + SUFFIX, context)
    if fmt == "md":
        return markdown
    from markdown_it import MarkdownIt
    from markupsafe import Markup

    # html=False: any raw HTML that reaches the Markdown (from a template) is shown as text.
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    page_context = {"title": context.get("title") or info.title, "language": info.language}
    return _render(
        override, "html", PAGE_TEMPLATE, {**page_context, "body": Markup(body)}, markdown=False
    )


def _render(
    override: Path | None,
    fmt: str,
    filename: str,
    context: dict[str, Any],
    *,
    markdown: bool = True,
) -> str:
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError
    from jinja2.sandbox import SecurityError

    name = filename.removesuffix(SUFFIX)
    try:
        template = environment(override, fmt, markdown=markdown).get_template(filename)
        with _time_limit(template.environment, RENDER_SECONDS):
            return _collect(template.generate(**context), name)
    except IncludeForbidden as exc:
        raise SocialError(
            f"template {name}{_at(_line(exc, filename))} includes {exc.name!r}, which is "
            "forbidden: a brief template may only include or import other templates from the "
            "template folders by name (e.g. '_footer.md.j2'), never a path"
        ) from None
    except TemplateNotFound as exc:
        if exc.name not in (filename, name):
            raise SocialError(
                f"template {name}{_at(_line(exc, filename))} includes {exc.name!r}, which is "
                "not in the template folders; add that file or fix the name "
                "(see 'social brief templates')"
            ) from None
        raise SocialError(
            f"brief template {name!r} not found; see 'social brief templates'"
        ) from exc
    except TooSlow:
        raise SocialError(
            f"template {name} took longer than {RENDER_SECONDS:g} s to render and was stopped; "
            "look for loops inside loops and simplify the template"
        ) from None
    except RecursionError:
        raise SocialError(
            f"template {name} calls itself without end (a macro or include that recurses); "
            "fix the template"
        ) from None
    except MemoryError:
        raise SocialError(
            f"template {name} needs more memory than a brief may use; fix the template"
        ) from None
    except TemplateSyntaxError as exc:
        raise SocialError(
            f"template {name} line {exc.lineno}: {exc.message}; fix the template"
        ) from exc
    except SecurityError as exc:
        raise SocialError(_security_message(name, str(exc), _line(exc, filename))) from None
    except TemplateError as exc:
        raise SocialError(_undefined_message(name, str(exc), _line(exc, filename))) from None
    except (OverflowError, ArithmeticError, TypeError, ValueError) as exc:
        raise SocialError(
            f"template {name}{_at(_line(exc, filename))} failed: {exc}; fix the template"
        ) from None


def _collect(chunks: Iterator[str], name: str) -> str:
    """The rendered text, stopped at MAX_OUTPUT characters."""
    out: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise SocialError(
                f"template {name} produced more than {MAX_OUTPUT:,} characters and was "
                "stopped; a brief is a few pages: look for loops that repeat too often"
            )
        out.append(chunk)
    return "".join(out)


@contextmanager
def _time_limit(env: Any, seconds: float) -> Iterator[None]:
    """Stop the template's own code (any line it runs) once `seconds` have passed.

    A line-trace on the template's frames only (its compiled code runs with
    `environment` in its globals), so Python's own functions run at full speed.
    """
    deadline = time.monotonic() + seconds
    previous = sys.gettrace()

    def on_line(frame: Any, event: str, arg: Any) -> Any:
        if event == "line" and time.monotonic() > deadline:
            raise TooSlow()
        return on_line

    def on_call(frame: Any, event: str, arg: Any) -> Any:
        if frame.f_globals.get("environment") is env:
            return on_line
        return None

    sys.settrace(on_call)
    try:
        yield
    finally:
        sys.settrace(previous)


def _line(exc: BaseException, filename: str) -> int | None:
    """The template line where rendering failed (Jinja2 rewrites tracebacks to templates)."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(filename):
            line = frame.lineno
    return line


def _at(line: int | None) -> str:
    return f" line {line}" if line else ""


def _security_message(name: str, message: str, line: int | None) -> str:
    match = _UNSAFE.search(message)
    if match is None:
        return (
            f"template {name}{_at(line)}: {message.rstrip('.')}, which is not allowed; "
            "fix the template (a brief needs only short texts, small lists and numbers)"
        )
    what = f"{match.group(1)} of a {match.group(2)} object"
    return (
        f"template {name}{_at(line)} tried to access {what}, which is not allowed; "
        "templates may only use the brief's variables"
    )


def _undefined_message(name: str, message: str, line: int | None) -> str:
    match = _UNDEFINED.match(message)
    if match:
        variable = match.group(1)
        fix = (
            f"pass it with --var {variable}=..."
            if variable not in RESERVED
            else "check its spelling in the template"
        )
        return f"template {name}{_at(line)} uses the variable {variable!r}, which is not set; {fix}"
    match = _NO_ATTRIBUTE.search(message)
    if match:
        return (
            f"template {name}{_at(line)} uses {match.group(1)!r}, which is not set "
            f"({message}); check its spelling in the template"
        )
    return f"template {name}{_at(line)} failed: {message}; fix the template"
