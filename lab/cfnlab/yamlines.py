# SPDX-License-Identifier: GPL-2.0-or-later
"""YAML loading that remembers where each value came from, so a topology
error can name the file and line (python3-yaml only keeps marks on the
node tree, not on the plain dicts and lists it constructs)."""

import yaml


class LineDict(dict):
    """A mapping from a YAML file: .line is its own line, .key_lines[k]
    the line of key k (1-based)."""
    line = None
    key_lines = None


class LineList(list):
    """A sequence from a YAML file: .line, and .item_lines[i]."""
    line = None
    item_lines = None


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader, node):
    loader.flatten_mapping(node)
    d = LineDict()
    d.line = node.start_mark.line + 1
    d.key_lines = {}
    for knode, vnode in node.value:
        key = loader.construct_object(knode, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value",
                knode.start_mark) from None
        if key in d:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", knode.start_mark)
        d[key] = loader.construct_object(vnode, deep=True)
        d.key_lines[key] = knode.start_mark.line + 1
    return d


def _sequence(loader, node):
    lst = LineList(loader.construct_object(n, deep=True) for n in node.value)
    lst.line = node.start_mark.line + 1
    lst.item_lines = [n.start_mark.line + 1 for n in node.value]
    return lst


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


class YamlError(ValueError):
    """A file that is not valid YAML: str() is 'FILE:LINE: reason'."""


def load(path):
    """Loads a YAML file into LineDict/LineList values."""
    with open(path) as f:
        text = f.read()
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 (safe loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else "?"
        raise YamlError(f"{path}:{line}: {e.problem or e}") from None
    except yaml.YAMLError as e:
        raise YamlError(f"{path}: {e}") from None


def line_of(container, key=None):
    """The line of container[key] (or of the container), or None for
    values that did not come from a file."""
    if key is not None:
        if isinstance(container, LineDict) and container.key_lines:
            return container.key_lines.get(key, container.line)
        if isinstance(container, LineList) and container.item_lines:
            if isinstance(key, int) and 0 <= key < len(container.item_lines):
                return container.item_lines[key]
    return getattr(container, "line", None)
