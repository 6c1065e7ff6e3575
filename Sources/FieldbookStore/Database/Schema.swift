import FieldbookReplica
import GRDB

/// The workspace schema. The change log is the source of truth and the audit trail; the
/// entity tables are its materialised current state, kept up to date on every apply.
/// Migrations are never edited once shipped: later versions add new ones.
enum Schema {
    /// `PRAGMA application_id` of every Fieldbook workspace database ("FBKW").
    static let applicationID: Int32 = 0x4642_4B57
    static let version = 14

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

                -- Every change ever received, in arrival order. live = 1 while no known change
                -- supersedes it (removals are never live).
                CREATE TABLE change (
                    seq INTEGER PRIMARY KEY,
                    site TEXT NOT NULL,
                    counter INTEGER NOT NULL CHECK (counter > 0),
                    hlc INTEGER NOT NULL,
                    author TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    field TEXT NOT NULL,
                    op TEXT NOT NULL CHECK (op IN ('set', 'add', 'remove')),
                    element TEXT,
                    vtype TEXT NOT NULL,
                    vtext TEXT,
                    vint INTEGER,
                    supersedes TEXT,
                    live INTEGER NOT NULL,
                    UNIQUE (site, counter)
                );
                CREATE INDEX change_by_entity ON change(entity, live);
                CREATE INDEX change_by_time ON change(hlc);

                -- Dots named in a supersedes list before the change itself arrived, with the
                -- register (entity, field, element) of the change that named them: supersession
                -- only acts within one register.
                CREATE TABLE pending_supersession (
                    site TEXT NOT NULL, counter INTEGER NOT NULL,
                    entity TEXT NOT NULL, field TEXT NOT NULL, element TEXT NOT NULL DEFAULT '',
                    PRIMARY KEY (site, counter, entity, field, element)
                ) WITHOUT ROWID;

                CREATE TABLE entity (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    deleted INTEGER NOT NULL DEFAULT 0,
                    conflicted INTEGER NOT NULL DEFAULT 0,
                    created_hlc INTEGER NOT NULL,
                    updated_hlc INTEGER NOT NULL,
                    updated_by TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX entity_by_kind ON entity(kind, deleted);

                CREATE TABLE engagement (
                    id TEXT PRIMARY KEY REFERENCES entity(id) ON DELETE CASCADE,
                    name TEXT, scope TEXT
                ) WITHOUT ROWID;
                CREATE TABLE result (
                    id TEXT PRIMARY KEY REFERENCES entity(id) ON DELETE CASCADE,
                    requirement TEXT NOT NULL, framework TEXT NOT NULL,
                    status TEXT, maturity INTEGER, note TEXT
                ) WITHOUT ROWID;
                CREATE INDEX result_by_framework ON result(framework, status);
                CREATE TABLE risk (
                    id TEXT PRIMARY KEY REFERENCES entity(id) ON DELETE CASCADE,
                    title TEXT, description TEXT, likelihood INTEGER, impact INTEGER,
                    score INTEGER, level TEXT, owner TEXT, treatment TEXT, status TEXT
                ) WITHOUT ROWID;
                CREATE INDEX risk_by_score ON risk(score DESC);
                CREATE TABLE evidence (
                    id TEXT PRIMARY KEY REFERENCES entity(id) ON DELETE CASCADE,
                    filename TEXT, sha256 TEXT, size INTEGER, description TEXT
                ) WITHOUT ROWID;
                CREATE INDEX evidence_by_hash ON evidence(sha256);
                CREATE TABLE finding (
                    id TEXT PRIMARY KEY REFERENCES entity(id) ON DELETE CASCADE,
                    title TEXT, description TEXT, severity TEXT, status TEXT,
                    corrective_action TEXT, owner TEXT, due TEXT
                ) WITHOUT ROWID;
                CREATE INDEX finding_by_status ON finding(status, severity);

                -- Present links (live adds) and fields in conflict, per entity.
                CREATE TABLE link (
                    entity TEXT NOT NULL REFERENCES entity(id) ON DELETE CASCADE,
                    field TEXT NOT NULL, target TEXT NOT NULL,
                    PRIMARY KEY (entity, field, target)
                ) WITHOUT ROWID;
                CREATE INDEX link_by_target ON link(target);
                CREATE TABLE conflict (
                    entity TEXT NOT NULL REFERENCES entity(id) ON DELETE CASCADE,
                    field TEXT NOT NULL,
                    PRIMARY KEY (entity, field)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2-peers") { db in
            try db.execute(sql: """
                -- What each peer held when it last sent us its work (a bundle's header or a
                -- sync answer), so status can say what they still lack.
                CREATE TABLE peer (
                    site TEXT PRIMARY KEY,
                    assessor TEXT NOT NULL,
                    vector TEXT NOT NULL,
                    last_seen INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v3-management-system") { db in
            try db.execute(sql: """
                ALTER TABLE finding ADD COLUMN source TEXT;
                CREATE TABLE system (
                    id TEXT PRIMARY KEY REFERENCES entity(id) ON DELETE CASCADE,
                    name TEXT, purpose TEXT, owner TEXT, stage TEXT, risk_tier TEXT, in_scope INTEGER
                ) WITHOUT ROWID;
                CREATE TABLE impact (
                    id TEXT PRIMARY KEY REFERENCES entity(id) ON DELETE CASCADE,
                    summary TEXT, affected TEXT, societal TEXT, severity INTEGER, likelihood INTEGER, date TEXT
                ) WITHOUT ROWID;
                CREATE TABLE applicability (
                    id TEXT PRIMARY KEY REFERENCES entity(id) ON DELETE CASCADE,
                    control TEXT NOT NULL, applicability TEXT, justification TEXT
                ) WITHOUT ROWID;
                """)
        }
        // Signed history: every change carries an Ed25519 signature; each site's public key
        // (from which its id is derived) and the author it signs as are kept once.
        migrator.registerMigration("v4-signatures") { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM change)") == true {
                throw StoreError.invalid("This workspace was made before Fieldbook signed its history; its unsigned changes cannot be trusted by others. Start a new workspace (fieldbook init or clone).")
            }
            try db.execute(sql: """
                ALTER TABLE change ADD COLUMN signature BLOB;
                CREATE TABLE site_key (site TEXT PRIMARY KEY, public_key BLOB NOT NULL, author TEXT NOT NULL) WITHOUT ROWID;
                """)
        }
        // Hash-linked history: each change's link to its site's previous change (NULL for the
        // legacy changes signed one by one) and its own hash, so the receive path finds what a
        // batch continues without re-reading content. Legacy rows get their hash here.
        migrator.registerMigration("v5-hash-chain") { db in
            try db.execute(sql: """
                ALTER TABLE change ADD COLUMN prev BLOB;
                ALTER TABLE change ADD COLUMN hash BLOB;
                """)
            var decoder = try WideChangeRow.Decoder(db)
            let update = try db.makeStatement(sql: "UPDATE change SET hash = ? WHERE site = ? AND counter = ?")
            for row in try Row.fetchAll(db, sql: "SELECT \(WideChangeRow.columns) FROM change") {
                let change = try decoder.change(row)
                try update.execute(arguments: [ChangeHash.of(change), change.dot.site.text, Int64(bitPattern: change.dot.counter)])
            }
        }
        // Every applied change paid for an index on its HLC that only `log --since` used; a
        // filtered scan of the log serves that as well, and applying a batch got cheaper.
        migrator.registerMigration("v6-no-time-index") { db in
            try db.execute(sql: "DROP INDEX change_by_time")
        }
        // Framework and mapping libraries pinned by the engagement (issue 19): one row per
        // library URN, its canonical bytes in the object store under sha256.
        migrator.registerMigration("v7-libraries") { db in
            try db.execute(sql: """
                CREATE TABLE library (
                    id TEXT PRIMARY KEY REFERENCES entity(id) ON DELETE CASCADE,
                    name TEXT, version INTEGER, sha256 TEXT, framework TEXT, content TEXT
                ) WITHOUT ROWID;
                CREATE INDEX library_by_hash ON library(sha256);
                """)
        }
        // Risk treatment (issue 29, ISO/IEC 42001 6.1.3): a risk's residual rating and its
        // acceptance, the engagement's acceptance level, and an SoA decision's kind of reason.
        // The treating controls (`treated_by`) are links, in `link`. Treatment words of earlier
        // releases stay as stored.
        migrator.registerMigration("v8-risk-treatment") { db in
            try db.execute(sql: """
                ALTER TABLE risk ADD COLUMN residual_likelihood INTEGER;
                ALTER TABLE risk ADD COLUMN residual_impact INTEGER;
                ALTER TABLE risk ADD COLUMN accepted_by TEXT;
                ALTER TABLE risk ADD COLUMN accepted_on TEXT;
                ALTER TABLE risk ADD COLUMN acceptance_note TEXT;
                ALTER TABLE engagement ADD COLUMN risk_acceptance_level TEXT;
                ALTER TABLE applicability ADD COLUMN reason TEXT;
                """)
        }
        // Findings graded as auditors grade them (issue 29): a nonconformity's correction, root
        // cause and the verification of its effectiveness, or why it was closed without one.
        // Numbered 9: "v8-risk-treatment" comes before it.
        migrator.registerMigration("v9-graded-findings") { db in
            try db.execute(sql: """
                ALTER TABLE finding ADD COLUMN correction TEXT;
                ALTER TABLE finding ADD COLUMN root_cause TEXT;
                ALTER TABLE finding ADD COLUMN verified_by TEXT;
                ALTER TABLE finding ADD COLUMN verified_on TEXT;
                ALTER TABLE finding ADD COLUMN verification TEXT;
                ALTER TABLE finding ADD COLUMN closed_without_verification TEXT;
                """)
        }
        // Fieldwork (issue 30): evidence requests to the client; the date evidence speaks for,
        // apart from when it was recorded; how old evidence may be before it is stale. A
        // request's requirements and the evidence answering it are links, in `link`.
        migrator.registerMigration("v10-fieldwork") { db in
            try db.execute(sql: """
                CREATE TABLE request (
                    id TEXT PRIMARY KEY REFERENCES entity(id) ON DELETE CASCADE,
                    title TEXT, description TEXT, contact TEXT, due TEXT, status TEXT, client_comment TEXT
                ) WITHOUT ROWID;
                CREATE INDEX request_by_status ON request(status, due);
                ALTER TABLE evidence ADD COLUMN as_of TEXT;
                ALTER TABLE evidence ADD COLUMN period_from TEXT;
                ALTER TABLE evidence ADD COLUMN period_to TEXT;
                ALTER TABLE engagement ADD COLUMN stale_after TEXT;
                """)
        }
        // Interviews and sampled tests (issue 30, second half): an interview's requirements, a
        // test's requirements, an item's test, evidence and findings are links, in `link`.
        migrator.registerMigration("v11-interviews-tests") { db in
            try db.execute(sql: """
                CREATE TABLE interview (
                    id TEXT PRIMARY KEY REFERENCES entity(id) ON DELETE CASCADE,
                    interviewee TEXT, role TEXT, date TEXT, notes TEXT
                ) WITHOUT ROWID;
                CREATE TABLE test (
                    id TEXT PRIMARY KEY REFERENCES entity(id) ON DELETE CASCADE,
                    title TEXT, description TEXT, population_file TEXT, population_sha256 TEXT, population_rows INTEGER,
                    population_header TEXT, seed INTEGER, size INTEGER, frequency TEXT, method TEXT
                ) WITHOUT ROWID;
                CREATE TABLE sample (
                    id TEXT PRIMARY KEY REFERENCES entity(id) ON DELETE CASCADE,
                    row INTEGER, key TEXT, draw INTEGER, result TEXT, exception TEXT
                ) WITHOUT ROWID;
                """)
        }
        // Key revocation (issue 31): the revocations received (their last valid change), the
        // changes they withdrew from this log (kept, as they were, for `log --verify` and for
        // anyone who wants to read what a lost laptop wrote), and the engagement's key pinned
        // at the first sync (`meta`).
        migrator.registerMigration("v12-revocation") { db in
            try db.execute(sql: """
                CREATE TABLE revocation (
                    id TEXT PRIMARY KEY REFERENCES entity(id) ON DELETE CASCADE,
                    last_valid INTEGER, last_valid_hash TEXT, reason TEXT
                ) WITHOUT ROWID;
                CREATE TABLE withdrawn_change (
                    site TEXT NOT NULL, counter INTEGER NOT NULL, revocation TEXT NOT NULL,
                    withdrawn_at INTEGER NOT NULL, body BLOB NOT NULL,
                    PRIMARY KEY (site, counter)
                ) WITHOUT ROWID;
                """)
        }
        // The log's rows narrowed (issue 33): a site id is kept once in `site` and each change
        // row names it by number, so a row and its (site, counter) index entry no longer repeat
        // 36 characters of UUID text. `change` becomes a view with the columns and names it had,
        // so every reader (log, history, verify, bundles, exports) reads what it read before;
        // the few statements that write the log write `change_row`.
        migrator.registerMigration("v13-narrow-log") { db in
            try db.execute(sql: """
                CREATE TABLE site (id INTEGER PRIMARY KEY, site TEXT NOT NULL UNIQUE);
                INSERT INTO site (site) SELECT DISTINCT site FROM change ORDER BY site;
                CREATE TABLE change_row (
                    seq INTEGER PRIMARY KEY,
                    site INTEGER NOT NULL,
                    counter INTEGER NOT NULL CHECK (counter > 0),
                    hlc INTEGER NOT NULL,
                    author TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    field TEXT NOT NULL,
                    op TEXT NOT NULL CHECK (op IN ('set', 'add', 'remove')),
                    element TEXT,
                    vtype TEXT NOT NULL,
                    vtext TEXT,
                    vint INTEGER,
                    supersedes TEXT,
                    signature BLOB,
                    prev BLOB,
                    hash BLOB,
                    live INTEGER NOT NULL,
                    UNIQUE (site, counter)
                );
                INSERT INTO change_row (seq, site, counter, hlc, author, entity, kind, field, op, element, vtype, vtext, vint,
                                        supersedes, signature, prev, hash, live)
                    SELECT c.seq, s.id, c.counter, c.hlc, c.author, c.entity, c.kind, c.field, c.op, c.element, c.vtype, c.vtext, c.vint,
                           c.supersedes, c.signature, c.prev, c.hash, c.live
                    FROM change c JOIN site s ON s.site = c.site ORDER BY c.seq;
                DROP TABLE change;
                CREATE INDEX change_by_entity ON change_row(entity, live);
                CREATE VIEW change AS
                    SELECT c.seq, s.site, c.counter, c.hlc, c.author, c.entity, c.kind, c.field, c.op, c.element, c.vtype, c.vtext,
                           c.vint, c.supersedes, c.live, c.signature, c.prev, c.hash
                    FROM change_row c JOIN site s ON s.id = c.site;
                """)
        }
        // The log's content moves into segments (issue 33): each change keeps a narrow row of
        // what queries filter and order on and where its segment holds it, its content in the
        // segment as a change batch (`SegmentStore`); each site's head (its newest change's
        // hash and link) on its `site` row. Rows keep their `seq`, so every order stays; the
        // segments are packed in `seq` order, `SegmentStore.capacity` changes apiece, and a
        // change's hash is over its content, so no hash or signature changes.
        migrator.registerMigration("v14-segments") { db in
            try db.execute(sql: """
                CREATE TABLE segment (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL);
                ALTER TABLE site ADD COLUMN head INTEGER;
                ALTER TABLE site ADD COLUMN head_hash BLOB;
                ALTER TABLE site ADD COLUMN head_prev BLOB;
                CREATE TABLE change_narrow (
                    seq INTEGER PRIMARY KEY,
                    site INTEGER NOT NULL,
                    counter INTEGER NOT NULL CHECK (counter > 0),
                    hlc INTEGER NOT NULL,
                    author TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    live INTEGER NOT NULL,
                    segment INTEGER NOT NULL,
                    position INTEGER NOT NULL,
                    UNIQUE (site, counter)
                );
                """)
            try WideChangeRow.packIntoSegments(narrowTable: "change_narrow", in: db)
            try db.execute(sql: """
                DROP VIEW change;
                DROP TABLE change_row;
                ALTER TABLE change_narrow RENAME TO change_row;
                CREATE INDEX change_by_entity ON change_row(entity, live);
                CREATE VIEW change AS
                    SELECT c.seq, s.site, c.counter, c.hlc, c.author, c.entity, c.live, c.segment, c.position
                    FROM change_row c JOIN site s ON s.id = c.site;
                """)
            for site in try String.fetchAll(db, sql: "SELECT site FROM site").compactMap(SiteID.init) {
                try SiteHead.recompute(site, in: db)
            }
        }
        return migrator
    }
}
