-- AI subscriptions and the HOLO4 beta (client guide §2.5, §3.1.2, §3.1.4;
-- installer guide §3.2).
--
-- A client's AI subscription: AI may be on for up to camera_limit of its
-- cameras, and HOLO4 algorithms chosen from its packages (comma-separated
-- ids of the holo4 catalogue). Cancelling keeps the row (cancelled_at, in
-- milliseconds; 0 while active) so the history stays listed.
CREATE TABLE ai_subscriptions (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES orgs(id),
    camera_limit INTEGER NOT NULL,
    packages     TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    cancelled_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX ai_subscriptions_org ON ai_subscriptions(org_id, id);
-- One active subscription per client, whoever sells it at the same time.
CREATE UNIQUE INDEX ai_subscriptions_active ON ai_subscriptions(org_id) WHERE cancelled_at = 0;

-- A camera in the HOLO4 beta, and its chosen algorithms (comma-separated
-- ids), kept when it leaves the beta so that joining again restores them.
ALTER TABLE cameras ADD COLUMN holo4 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cameras ADD COLUMN algorithms TEXT NOT NULL DEFAULT '';
