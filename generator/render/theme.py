"""The visual theme: template lookup, static files and the interface strings.

A site's ``themes/<name>/`` overrides the built-in default theme file by file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import types
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.ext
import jinja2.meta
import jinja2.parser
import jinja2.runtime
import yaml
from jinja2 import nodes
from markupsafe import Markup, escape

from generator.content.config import SiteConfig
from generator.content.sources import read_text
from generator.core.errors import Problem, error
from generator.core.memo import Memo
from generator.core.scan import builtin_theme_dir

STRINGS_FILE = "strings.yaml"
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July",
              "August", "September", "October", "November", "December")


# Callables that cannot carry Jinja2's pass_context marker (str.format, date.isoformat), and those that can
# (a template's macros among them).
_BUILTIN = (types.BuiltinFunctionType,)
_PYTHON = (types.FunctionType, types.MethodType, jinja2.runtime.Macro)


class _Context(jinja2.runtime.Context):
    """Jinja2's template context, with a shorter way to call plain functions."""

    def call(self, obj: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Call a function from a template, as Jinja2 does."""
        # Jinja2 looks for pass_context & co. on every call (several failing attribute lookups);
        # url(), t() and the like, most of a page's calls, carry no such marker and are called directly.
        kind = type(obj)
        if kind in _BUILTIN or (kind in _PYTHON and not hasattr(obj, "jinja_pass_arg")):
            if kwargs:
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
            try:
                return obj(*args, **kwargs)
            except StopIteration:
                return self.environment.undefined("value was undefined because a callable raised a"
                                                  " StopIteration exception")
        return super().call(obj, *args, **kwargs)


_escape_inner: Callable[[str], str] | None
try:  # markupsafe 3: escape() is Python around this C function, plus a Python-level Markup constructor
    from markupsafe._speedups import _escape_inner
except ImportError:  # another version or no C extension: escape() as it is
    _escape_inner = None

_new_str = str.__new__


def _escape_output(value: Any) -> Markup:
    """Escape what a template outputs, as markupsafe.escape does, with less Python on plain strings (most outputs)."""
    if _escape_inner is not None and type(value) is str:
        return _new_str(Markup, _escape_inner(value))
    return escape(value)


class _Template(jinja2.Template):
    """A compiled template whose output expressions use ``_escape_output``."""

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: types.CodeType, globals: MutableMapping[str, Any],
                  uptodate: Callable[[], bool] | None = None) -> jinja2.Template:
        """Load compiled template code, then point its ``escape`` at the faster one."""
        template = super().from_code(environment, code, globals, uptodate)
        # Every function of the compiled template looks ``escape`` up in the module namespace they share.
        template.root_render_func.__globals__["escape"] = _escape_output
        return template


FRAGMENTS = "_fragments"
"""Context variable holding the parts of pages kept by ``{% cache %}`` (a dict; absent: nothing is kept)."""


class FragmentCache(jinja2.ext.Extension):
    """``{% cache key, … %}…{% endcache %}``: a part of a page rendered once per key and reused.

    The key must name everything the part shows that differs between pages (see base.html); the
    parts are kept for one ``render_pages`` call, in the dict the context holds as ``_fragments``.
    """

    tags = {"cache"}  # noqa: RUF012 (declared a set by Jinja2)

    def parse(self, parser: jinja2.parser.Parser) -> nodes.Node:
        """Read the tag's key expressions and its body."""
        lineno = next(parser.stream).lineno
        # Template name and a name unique within the template keep apart two tags with the same key
        # expressions; both are the same in every process (compiled templates are reused, see below).
        key: list[nodes.Expr] = [nodes.Const(parser.name), nodes.Const(parser.free_identifier().name)]
        while parser.stream.current.type != "block_end":
            if len(key) > 2:
                parser.stream.expect("comma")
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        call = self.call_method("_fragment", [nodes.Tuple(key, "load"), nodes.ContextReference()])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _fragment(self, key: tuple[Any, ...], context: jinja2.runtime.Context,
                  caller: Callable[[], str]) -> str:
        kept: dict[tuple[Any, ...], str] | None = context.get(FRAGMENTS)
        if kept is None:
            return caller()
        part = kept.get(key)
        if part is None:
            part = kept[key] = caller()
        return part


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory, for every environment given the same instance.

    Every batch of pages a worker renders gets a new environment; it loads the templates compiled
    for an earlier batch (or by the parent before it sent or forked the cache) instead of compiling them again.
    Jinja2 uses an entry only while the template's source is the same (its checksum is stored
    with the code).
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill the bucket with the code kept for its template, if any."""
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep a template's freshly compiled code."""
        self._code[bucket.key] = bucket.bytecode_to_string()



@dataclass(frozen=True)
class Theme:
    """The theme folders of one site, most specific first."""

    dirs: tuple[Path, ...]
    strings: dict[str, str]
    language: str

    def environment(self, compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
        """Create the Jinja2 environment that renders this theme's templates.

        ``compiled`` keeps compiled templates between environments (see ``CompiledTemplates``).
        """
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d / "templates") for d in self.dirs]),
            autoescape=jinja2.select_autoescape(["html", "xml"]),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            extensions=[FragmentCache],
            # Each page would otherwise stat its template files again (13,000 calls at 5,000 stories);
            # an edited template gets a new environment instead (``build.state.environment``).
            auto_reload=False,
            bytecode_cache=compiled,
        )
        env.context_class = _Context
        env.template_class = _Template
        env.globals["t"] = self.text
        env.filters["date_text"] = self.format_date
        return env

    def text(self, key: str, **values: Any) -> str:
        """Return an interface string in the site's language, with ``{name}`` filled in."""
        text = self.strings.get(key)
        if text is None:
            raise KeyError(f"interface string '{key}' is missing from {STRINGS_FILE}")
        return text.format(**values) if values else text

    def format_date(self, date: dt.date) -> str:
        """Format a date for readers: 2010年5月12日, or May 12, 2010."""
        return self.text("date_format", year=date.year, month=date.month, day=date.day,
                         month_name=_MONTHS_EN[date.month - 1])

    def static_files(self) -> dict[str, Path]:
        """Map each static file's output path (under static/) to its source, overrides winning."""
        files: dict[str, Path] = {}
        for folder in reversed(self.dirs):
            static = folder / "static"
            if static.is_dir():
                for path in sorted(static.rglob("*")):
                    if path.is_file() and not path.name.startswith("."):
                        files["static/" + path.relative_to(static).as_posix()] = path
        return dict(sorted(files.items()))


def _references(env: jinja2.Environment, source: str) -> frozenset[str]:
    try:
        return frozenset(r for r in jinja2.meta.find_referenced_templates(env.parse(source)) if r)
    except jinja2.TemplateSyntaxError:
        return frozenset()  # rendering will report it with its line


def template_digests(env: jinja2.Environment, parsed: Memo[str, frozenset[str]] | None = None) -> dict[str, str]:
    """Fingerprint each template together with every template it extends, includes or imports."""
    parsed = parsed if parsed is not None else Memo()
    sources: dict[str, str] = {}
    refs: dict[str, frozenset[str]] = {}
    for name in env.list_templates():
        source = env.loader.get_source(env, name)[0] if env.loader else ""
        sources[name] = source
        refs[name] = parsed.get(name, source, partial(_references, env, source))
    digests = {}
    for name in sources:
        seen, stack = {name}, [name]
        while stack:
            for ref in refs.get(stack.pop(), ()):
                if ref not in seen and ref in sources:
                    seen.add(ref)
                    stack.append(ref)
        digest = hashlib.sha256()
        for part in sorted(seen):
            digest.update(f"{part}\0{sources[part]}\0".encode())
        digests[name] = digest.hexdigest()
    return digests


def _read_strings(path: Path, shown: str, language: str) -> tuple[dict[str, str], list[Problem]]:
    text, problems = read_text(path, shown)
    if text is None:
        return {}, problems
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return {}, [error(shown, mark.line + 1 if mark else 0, f"YAML 格式错误：{problem}",
                          "检查冒号后是否有空格、缩进是否对齐、引号是否成对")]
    if not isinstance(data, dict):
        return {}, [error(shown, 1, "界面文字表应是“键: {zh-CN: ..., en: ...}”形式")]
    strings: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict) and language in value:
            strings[str(key)] = str(value[language])
        elif isinstance(value, dict) and "zh-CN" in value:
            strings[str(key)] = str(value["zh-CN"])
    return strings, []


def load_theme(config: SiteConfig) -> tuple[Theme, list[Problem]]:
    """Find the site's theme folders and read the interface strings."""
    dirs = [builtin_theme_dir()]
    own = config.themes_dir / config.theme
    if own.is_dir() and own.resolve() != dirs[0].resolve():
        dirs.insert(0, own)
    strings: dict[str, str] = {}
    problems: list[Problem] = []
    for folder in reversed(dirs):
        path = folder / STRINGS_FILE
        if path.is_file():
            shown = path.relative_to(config.site_dir).as_posix() if folder == own else f"(内置主题)/{STRINGS_FILE}"
            found, read_problems = _read_strings(path, shown, config.language)
            strings.update(found)
            problems += read_problems
    return Theme(tuple(dirs), strings, config.language), problems
