"""The HTTP server of `assistant serve`: one FastAPI app with the web app, the APIs, login and roles.

    app.py            create_app (assembly), running it with uvicorn
    rest.py           REST API under /api (search, ask, motions, measures, documents, passages)
    admin.py          /api/admin for the beheerder: users and roles, re-indexing
    openai_compat.py  OpenAI-compatible API under /v1 (models, chat/completions, streaming)
    schemas.py        request/response models, input limits, Dutch validation messages
    auth.py           users file (bcrypt), API tokens, roles, failed-login limiter
    guard.py          the role check of the APIs, and the middleware (security headers, login limit)
    gradio_roles.py   the role check of the web app's events; staff tabs disabled by role
    accounts.py       `assistant users add|remove|list|token`

Nothing here imports `assistant.ui`: the web app is handed in as a built `gr.Blocks`.
"""
