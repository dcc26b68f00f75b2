-- Foundation: organisations, accounts, roles, sites, security records, mail.
-- Runs unchanged on SQLite and PostgreSQL: times are Unix milliseconds (BIGINT).

CREATE TABLE orgs (
    id          TEXT PRIMARY KEY,
    parent_id   TEXT REFERENCES orgs(id),
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    path        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id, kind);
CREATE UNIQUE INDEX orgs_path ON orgs(path);

CREATE TABLE roles (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    name        TEXT NOT NULL,
    builtin     TEXT NOT NULL DEFAULT '',
    permissions TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX roles_org_name ON roles(org_id, name);

CREATE TABLE users (
    id                  TEXT PRIMARY KEY,
    org_id              TEXT NOT NULL REFERENCES orgs(id),
    email               TEXT NOT NULL,
    name                TEXT NOT NULL DEFAULT '',
    role_id             TEXT NOT NULL REFERENCES roles(id),
    status              TEXT NOT NULL,
    password_hash       TEXT NOT NULL DEFAULT '',
    preferences         TEXT NOT NULL DEFAULT '{}',
    created_at          BIGINT NOT NULL,
    last_login_at       BIGINT NOT NULL DEFAULT 0,
    password_changed_at BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX users_email ON users(email);
CREATE INDEX users_org_role ON users(org_id, role_id);

-- Browser sessions; the token is only stored as its SHA-256.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Personal API tokens; the token is only stored as its SHA-256.
CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens(token_hash);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Single-use links to set a password (invitation or reset), stored hashed.
CREATE TABLE password_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX password_tokens_user ON password_tokens(user_id);

-- Login throttling, shared by every node: one row per account or IP key.
CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL,
    actor_id    TEXT NOT NULL DEFAULT '',
    actor_email TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    target      TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX audit_org_id ON audit_log(org_id, id);

-- Every e-mail the product sends, sent or (without SMTP) kept for the operator.
CREATE TABLE outbox (
    id          TEXT PRIMARY KEY,
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body_text   TEXT NOT NULL,
    body_html   TEXT NOT NULL,
    link        TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    sent_at     BIGINT NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_recipient ON outbox(recipient, created_at);

CREATE TABLE sites (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    name        TEXT NOT NULL,
    timezone    TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX sites_org ON sites(org_id, name);

-- Recorders are filled in by the ingest work; sites count them already.
CREATE TABLE recorders (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    site_id     TEXT NOT NULL REFERENCES sites(id),
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX recorders_site ON recorders(site_id);
CREATE INDEX recorders_org ON recorders(org_id);
