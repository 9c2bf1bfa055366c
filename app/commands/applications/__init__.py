"""The citizen-side verbs of an application (docs/applications.md), one module per verb.

    application = CreateApplicationCommand(user, "maternity_allowance", "440106").run()
    SaveAnswersCommand(application, {"mobile": "+86 138 0013 8000"}, page="insured").run()
    AttachMaterialCommand(application, "id_document", request.files["file"]).run()
    SubmitApplicationCommand(application, idempotency_key, body_hash).run()
    WithdrawApplicationCommand(application).run()

Import the command modules directly (``app.commands.applications.submit`` …); this package
imports nothing so that ``errors`` and ``context`` load without the upload machinery.
"""
