//! Database connection strings and URLs with passwords.
//!
//! Data, not code: one row per credential format (see `crate::detector`). Examples are
//! made-up values in the provider's published format, never real credentials.

use crate::detector::{BASE, Check, Detector, Severity};

pub(crate) static DETECTORS: &[Detector] = &[
    Detector {
        id: "SEC-DB-001",
        name: "postgres-connection-string",
        title: r#"PostgreSQL connection string with a password"#,
        provider: r#"Databases"#,
        severity: Severity::High,
        pattern: r#"\bpostgres(?:ql)?://(?:[A-Za-z0-9._%+-]{1,64})?:(?P<s>[^\s:@/\"'`<>{}]{3,128})@[A-Za-z0-9._-]+"#,
        keywords: &[r#"postgres://"#, r#"postgresql://"#],
        check: Check::UrlPassword,
        rotate: r#"Change the database user's password, move the connection string into a secret manager, and read it at runtime; prefer IAM/managed-identity database authentication."#,
        examples: &[r#"postgresql://sizxhm:gwZfUe%lc47E@db.internal.acme.io:5432/orders"#],
        counter_examples: &[
            r#"postgresql://user:password@localhost/db"#,
            r#"postgresql://app:${DB_PASSWORD}@db/app"#,
            r#"postgresql://postgres:postgres@localhost:5432/app"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-DB-002",
        name: "mysql-connection-string",
        title: r#"MySQL connection string with a password"#,
        provider: r#"Databases"#,
        severity: Severity::High,
        pattern: r#"\bmysql(?:x)?://(?:[A-Za-z0-9._%+-]{1,64})?:(?P<s>[^\s:@/\"'`<>{}]{3,128})@[A-Za-z0-9._-]+"#,
        keywords: &[r#"mysql://"#, r#"mysqlx://"#],
        check: Check::UrlPassword,
        rotate: r#"Change the database user's password, move the connection string into a secret manager, and read it at runtime; prefer IAM/managed-identity database authentication."#,
        examples: &[r#"mysql://lvjtop:y78sSr*ssI2m@mysql.acme.io:3306/app"#],
        counter_examples: &[
            r#"mysql://user:password@localhost/db"#,
            r#"mysql://app:${DB_PASSWORD}@db/app"#,
            r#"mysql://postgres:postgres@localhost:5432/app"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-DB-003",
        name: "mongodb-connection-string",
        title: r#"MongoDB connection string with a password"#,
        provider: r#"Databases"#,
        severity: Severity::High,
        pattern: r#"\bmongodb(?:\+srv)?://(?:[A-Za-z0-9._%+-]{1,64})?:(?P<s>[^\s:@/\"'`<>{}]{3,128})@[A-Za-z0-9._-]+"#,
        keywords: &[r#"mongodb://"#, r#"mongodb+srv://"#],
        check: Check::UrlPassword,
        rotate: r#"Change the database user's password, move the connection string into a secret manager, and read it at runtime; prefer IAM/managed-identity database authentication."#,
        examples: &[
            r#"mongodb+srv://etnpje:2Rou97-rFseU@cluster0.abcde.mongodb.net/app?retryWrites=true"#,
        ],
        counter_examples: &[
            r#"mongodb+srv://user:password@localhost/db"#,
            r#"mongodb+srv://app:${DB_PASSWORD}@db/app"#,
            r#"mongodb+srv://postgres:postgres@localhost:5432/app"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-DB-004",
        name: "redis-connection-string",
        title: r#"Redis connection string with a password"#,
        provider: r#"Databases"#,
        severity: Severity::High,
        pattern: r#"\brediss?://(?:[A-Za-z0-9._%+-]{1,64})?:(?P<s>[^\s:@/\"'`<>{}]{3,128})@[A-Za-z0-9._-]+"#,
        keywords: &[r#"redis://"#, r#"rediss://"#],
        check: Check::UrlPassword,
        rotate: r#"Change the database user's password, move the connection string into a secret manager, and read it at runtime; prefer IAM/managed-identity database authentication."#,
        examples: &[r#"rediss://vcglpc:5rSBwt%it4uE@cache.acme.io:6379/0"#],
        counter_examples: &[
            r#"rediss://user:password@localhost/db"#,
            r#"rediss://app:${DB_PASSWORD}@db/app"#,
            r#"rediss://postgres:postgres@localhost:5432/app"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-DB-005",
        name: "amqp-connection-string",
        title: r#"AMQP (RabbitMQ) connection string with a password"#,
        provider: r#"Databases"#,
        severity: Severity::High,
        pattern: r#"\bamqps?://(?:[A-Za-z0-9._%+-]{1,64})?:(?P<s>[^\s:@/\"'`<>{}]{3,128})@[A-Za-z0-9._-]+"#,
        keywords: &[r#"amqp://"#, r#"amqps://"#],
        check: Check::UrlPassword,
        rotate: r#"Change the database user's password, move the connection string into a secret manager, and read it at runtime; prefer IAM/managed-identity database authentication."#,
        examples: &[r#"amqps://hziflt:3lBVZa*kTuxe@mq.acme.io:5672/vhost"#],
        counter_examples: &[
            r#"amqps://user:password@localhost/db"#,
            r#"amqps://app:${DB_PASSWORD}@db/app"#,
            r#"amqps://postgres:postgres@localhost:5432/app"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-DB-006",
        name: "mssql-url",
        title: r#"SQL Server URL with a password"#,
        provider: r#"Databases"#,
        severity: Severity::High,
        pattern: r#"\b(?:sqlserver|mssql)://(?:[A-Za-z0-9._%+-]{1,64})?:(?P<s>[^\s:@/\"'`<>{}]{3,128})@[A-Za-z0-9._-]+"#,
        keywords: &[r#"sqlserver://"#, r#"mssql://"#],
        check: Check::UrlPassword,
        rotate: r#"Change the database user's password, move the connection string into a secret manager, and read it at runtime; prefer IAM/managed-identity database authentication."#,
        examples: &[r#"sqlserver://fpfing:KNME8G#KkDkA@sql.acme.io:1433;databaseName=app"#],
        counter_examples: &[
            r#"sqlserver://user:password@localhost/db"#,
            r#"sqlserver://app:${DB_PASSWORD}@db/app"#,
            r#"sqlserver://postgres:postgres@localhost:5432/app"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-DB-007",
        name: "jdbc-url-password",
        title: r#"JDBC URL with a password"#,
        provider: r#"Databases"#,
        severity: Severity::High,
        pattern: r#"\bjdbc:[a-z0-9:]+[:/@][^\s\"'<>]{0,200}?[?&;](?i:password|pwd)=(?P<s>[^&;\s\"'<>]{3,128})"#,
        keywords: &[r#"jdbc:"#],
        check: Check::UrlPassword,
        max_len: 600,
        rotate: r#"Change the database user's password, move the connection string into a secret manager, and read it at runtime; prefer IAM/managed-identity database authentication."#,
        examples: &[
            r#"spring.datasource.url=jdbc:postgresql://db.acme.io:5432/app?user=app&password=7XfoXB*cPLnV"#,
            r#"jdbc:sqlserver://sql.acme.io:1433;databaseName=app;user=app;password=VF9vvo!k6RL3;"#,
        ],
        counter_examples: &[r#"jdbc:postgresql://db:5432/app?user=app&password=${DB_PASSWORD}"#],
        ..BASE
    },
    Detector {
        id: "SEC-DB-008",
        name: "ado-net-connection-string",
        title: r#"ADO.NET / ODBC connection string with a password"#,
        provider: r#"Databases"#,
        severity: Severity::High,
        pattern: r#"(?i:(?:server|data source|host)=[^;\"'\n]{1,100};[^\"'\n]{0,200}?(?:password|pwd)=)(?P<s>[^;\"'\s<>]{3,128})"#,
        keywords: &[r#"password="#, r#"pwd="#],
        check: Check::UrlPassword,
        max_len: 500,
        rotate: r#"Change the database user's password, move the connection string into a secret manager, and read it at runtime; prefer IAM/managed-identity database authentication."#,
        examples: &[
            r#""DefaultConnection": "Server=sql.acme.io;Database=Orders;User Id=orders_app;Password=fEmVtJ!Io1pI;""#,
        ],
        counter_examples: &[
            r#"Server=.;Database=Orders;User Id=sa;Password=<YourStrong@Passw0rd>;"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-URL-001",
        name: "url-with-password",
        title: r#"URL with an embedded password"#,
        provider: r#"URLs"#,
        severity: Severity::Medium,
        pattern: r#"\b(?:https?|ftp|ftps|sftp|smtp|smtps|ldap|ldaps|git|ssh|svn|nats|kafka|clickhouse|cockroachdb|neo4j|couchbase|elasticsearch|influxdb)://[A-Za-z0-9._%+-]{1,64}:(?P<s>[^\s:@/\"'`<>{}]{3,128})@[A-Za-z0-9._-]+"#,
        keywords: &[r#"://"#],
        check: Check::UrlPassword,
        rotate: r#"Change the password and pass credentials separately from the URL, from a secret store."#,
        examples: &[
            r#"SMTP_URL=smtps://mailer:LFxmvf%SvM37@smtp.acme.io:465"#,
            r#"git clone https://deploy:qgzkpR-n34cV@git.acme.io/team/app.git"#,
        ],
        counter_examples: &[
            r#"https://user:pass@example.com/"#,
            r#"https://docs.acme.io/a:b@c"#,
            r#"http://admin:admin@localhost:8080"#,
        ],
        ..BASE
    },
];
