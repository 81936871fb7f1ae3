"""The shape of the code: no import cycle between modules, no app reaching into another
app's views, and the record depending on nothing above it.

Every import statement counts, also those inside functions: an import moved into a function
to dodge a cycle is still a cycle.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def modules_of(package_dir: Path) -> dict[str, Path]:
    """{dotted module name: file} for every module under `package_dir`."""
    found = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules among `known` that module `name` imports, anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            # `from package import module` imports the module; `from module import name`
            # imports the module that holds the name.
            candidates = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


def import_graph(package_dir: Path) -> dict[str, set[str]]:
    modules = modules_of(package_dir)
    known = set(modules)
    return {name: imports_of(name, path, known) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def app_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def view_modules(graph: dict[str, set[str]]) -> set[str]:
    """Modules that a URLconf takes views from: those are view modules, whatever their name."""
    urlconfs = [m for m in graph if m.split(".")[-1] == "urls"]
    return {target for conf in urlconfs for target in graph[conf]} - set(urlconfs)


@pytest.fixture(scope="module")
def graph():
    return import_graph(ROOT / "tadamun")


def test_no_module_takes_part_in_an_import_cycle(graph):
    found = cycles(graph)
    assert found == [], "import cycles:\n" + "\n".join(" ↔ ".join(group) for group in found)


def test_the_check_finds_a_cycle_even_through_an_import_inside_a_function(tmp_path):
    package = tmp_path / "shop"
    (package / "orders").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "orders" / "__init__.py").write_text("from .models import Order\n")
    (package / "orders" / "models.py").write_text(
        "class Order:\n    def send(self):\n        from shop import mail\n"
    )
    (package / "mail.py").write_text("from .orders.models import Order\n")
    (package / "cart.py").write_text("from shop import mail, orders\nimport shop.orders.models\n")
    graph = import_graph(package)
    assert graph["shop.cart"] == {"shop.mail", "shop.orders", "shop.orders.models"}
    assert cycles(graph) == [["shop.mail", "shop.orders.models"]]


def test_no_app_imports_the_views_of_another_app(graph):
    views = view_modules(graph)
    assert "tadamun.statements.views" in views and "tadamun.api.api" in views
    reaching = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets & views
        if app_of(module) != app_of(target) and module != "tadamun.urls"
    )
    assert reaching == []


def test_the_record_depends_on_nothing_above_it(graph):
    # tadamun.keys reads the keys kept outside the data (the record's signing key and the
    # backup's recipients among them) and imports nothing of the project.
    allowed = ("tadamun.record", "tadamun.canonical", "tadamun.keys")
    above = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module.startswith("tadamun.record")
        for target in targets
        if not target.startswith(allowed)
    )
    assert above == []
