"""``secnews schema``: build or check the generated JSON Schema."""

from __future__ import annotations

import sys

import click

from secnews.model.json_schema import document_schema_is_fresh, document_schema_path, write_document_schema


@click.group()
def command() -> None:
    """Build or check schema/document.schema.json (generated from schema/taxonomy.yaml).

    \b
    Examples:
      secnews schema build      # regenerate after editing taxonomy.yaml
      secnews schema check      # exit 1 when the checked-in schema is stale
    """


@command.command("build")
def build() -> None:
    """Regenerate schema/document.schema.json."""
    path = write_document_schema()
    click.echo(f"wrote {path}")


@command.command("check")
def check() -> None:
    """Exit 1 when schema/document.schema.json differs from what the taxonomy generates."""
    if document_schema_is_fresh():
        click.echo(f"{document_schema_path()} is up to date")
        return
    click.echo(f"{document_schema_path()} is stale: run `secnews schema build`", err=True)
    sys.exit(1)
