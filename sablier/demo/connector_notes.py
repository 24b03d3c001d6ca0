"""What the demo's connector log says, in French and English like the rest of the demo's stored
text: why an account is paused and what a real one needs, and what the deliveries brought."""

from __future__ import annotations


def _paused(fr: str, en: str, kind: str, settings: str) -> str:
    return (
        f"Démo, en pause : {fr} sont fictifs et la démo ne va jamais sur Internet. "
        f"Pour écouter pour de vrai : sablier connectors add {kind} NOM {settings} / "
        f"Demo, paused: {en} are made up and the demo never goes on the Internet. "
        f"To listen for real: sablier connectors add {kind} NAME {settings}"
    )


NOTES = {
    "mastodon": _paused(
        "l'instance mastodon.example.org et le jeton d'accès",
        "the instance mastodon.example.org and the access token",
        "mastodon",
        "--set instance_url=https://… --set access_token=…",
    ),
    "bluesky": _paused(
        "le compte caissehorizon.example.org, son serveur et son mot de passe d'application",
        "the account caissehorizon.example.org, its server and its app password",
        "bluesky",
        "--set handle=… --set app_password=…",
    ),
    "rss": _paused(
        "les flux de blog.example.org et news.example.com",
        "the feeds of blog.example.org and news.example.com",
        "rss",
        "--set blog_feeds=[https://…] --set feeds=[https://…] --set keywords=[…]",
    ),
    "email": _paused(
        "les serveurs imap.example.org et smtp.example.org et le mot de passe",
        "the servers imap.example.org and smtp.example.org and the password",
        "email",
        "--set imap_host=… --set username=… --set password=… --set smtp_host=… --set address=…",
    ),
}
WHY_NOTHING = {
    "google_reviews": (
        " Une mise à jour Google n'est pas un avis ; un avis se lit par l'API Business Profile, "
        "que la démo n'appelle pas.",
        " A Google update is not a review; a review is read through the Business Profile API, "
        "which the demo does not call.",
    )
}


def received(kind: str, deliveries: int, stored: int) -> str:
    fr, en = WHY_NOTHING.get(kind, ("", ""))
    return (
        f"Démo : livraisons signées reçues et vérifiées : {deliveries} ; "
        f"mentions enregistrées : {stored}.{fr} Les réponses approuvées ne partent pas : "
        "le jeton est fictif et l'adresse de l'API ne mène nulle part. / "
        f"Demo: signed deliveries received and verified: {deliveries}; mentions stored: {stored}.{en} "
        "Approved answers are not sent: the token is made up and the API address leads nowhere."
    )
