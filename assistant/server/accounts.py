"""`assistant users add|remove|list|token`: the users file and the API tokens file from the shell."""

from __future__ import annotations

import getpass
from pathlib import Path

from . import auth


def add_arguments(parser) -> None:
    """The `users` sub-commands on an argparse parser."""
    sub = parser.add_subparsers(dest="users_action")
    for action, text in (
        ("add", "gebruiker toevoegen of wachtwoord/rol wijzigen (vraagt het wachtwoord)"),
        ("remove", "gebruiker verwijderen"),
        ("list", "gebruikers en rollen tonen"),
        ("token", "nieuw API-token voor NAAM (wordt één keer getoond)"),
    ):
        s = sub.add_parser(action, help=text)
        if action != "list":
            s.add_argument("name", metavar="NAAM")
        if action in ("add", "token"):
            s.add_argument("--role", choices=auth.ROLES, default="raadslid", help="default raadslid")
        s.add_argument("--file", help="het bestand (standaard [ui] auth_file; voor token [ui] api_tokens)")


def run(args, settings) -> int:
    action = getattr(args, "users_action", None)
    if action is None:
        raise ValueError("kies een actie: assistant users add|remove|list|token")
    setting = "api_tokens" if action == "token" else "auth_file"
    path = args.file or (settings.ui.api_tokens if action == "token" else settings.ui.auth_file)
    if not path:
        raise ValueError(
            f"geen bestand: geef --file of stel [ui] {setting} in (assistant.toml of ASSISTANT_UI__{setting.upper()})"
        )
    path = Path(path)
    if action == "add":
        auth.check_name_role(args.name, args.role)
        try:
            password = getpass.getpass(f"Wachtwoord voor {args.name}: ")
            again = getpass.getpass("Herhaal het wachtwoord: ")
        except EOFError:
            raise ValueError("geen wachtwoord gelezen; er is niets gewijzigd") from None
        if again != password:
            raise ValueError("de wachtwoorden zijn niet gelijk; er is niets gewijzigd")
        replaced = auth.add_user(path, args.name, password, args.role)
        print(f"{'Gewijzigd' if replaced else 'Toegevoegd'}: {args.name} ({args.role}) in {path}")
    elif action == "remove":
        if not auth.remove_user(path, args.name):
            raise ValueError(f"{args.name} staat niet in {path}")
        print(f"Verwijderd: {args.name} uit {path}")
    elif action == "list":
        for user in auth.read_users(path).values():
            note = "" if user.hash else "\t(onversleuteld wachtwoord: opnieuw toevoegen)"
            print(f"{user.name}\t{user.role}{note}")
    elif action == "token":
        token = auth.add_token(path, args.name, args.role)
        print(
            f"API-token voor {args.name} ({args.role}), opgeslagen als hash in {path}. Bewaar het nu; "
            f"het wordt niet meer getoond:\n{token}"
        )
    return 0
