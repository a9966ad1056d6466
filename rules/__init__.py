"""Rule packs shipped with collcheck (installed as the package ``checker_rules``)."""
