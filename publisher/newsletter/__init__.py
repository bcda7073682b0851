"""Newsletter issues: planning from the ledger, rendering (Jinja + premailer), email-safe
HTML, .eml, the mailing tools' profiles, and sending."""
