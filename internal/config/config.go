// Package config is the one place that reads the environment. Load gathers
// every setting, Validate says in plain words what is wrong with each bad
// value, and String never prints a secret.
package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Config holds every setting of the server.
type Config struct {
	// DatabaseURL is the PostgreSQL connection string (DATABASE_URL). The
	// application runs every statement on it as the runtime role
	// lekwacht_runtime (store.AsRuntime), which its login role must be a
	// member of.
	DatabaseURL string
	// MigrateURL is the connection of the schema's owner, for `lekwacht
	// migrate`, `audit verify` and serve with LEKWACHT_MIGRATE
	// (DATABASE_MIGRATE_URL); empty: DatabaseURL's login role, development.
	MigrateURL string
	// DBMaxConns is the size of the connection pool (LEKWACHT_DB_MAX_CONNS);
	// pgx's own default of 4 made 200 users queue for a connection.
	DBMaxConns int
	// Addr is where the HTTP server listens (LEKWACHT_ADDR).
	Addr string
	// BaseURL is the address users reach Lekwacht at (LEKWACHT_BASE_URL);
	// https here turns on secure cookies and HSTS.
	BaseURL string
	// Migrate lets serve bring the schema up to date at start (LEKWACHT_MIGRATE).
	Migrate bool
	// SessionIdle signs a user out after this long without a request.
	SessionIdle time.Duration
	// SessionLifetime signs a user out this long after signing in, whatever happens.
	SessionLifetime time.Duration
	// LogLevel and LogFormat shape the log (LEKWACHT_LOG_LEVEL, LEKWACHT_LOG_FORMAT).
	LogLevel  slog.Level
	LogFormat string
	// ClientIPHeader is the header a reverse proxy puts the client's address
	// in (LEKWACHT_CLIENT_IP_HEADER, e.g. X-Forwarded-For); "" uses the
	// connection's address. Set it only behind a proxy that sets the header.
	ClientIPHeader string
	// SMTP is the mail server (LEKWACHT_SMTP_*); Host "" means no mail is
	// sent: it stays queued in the outbox until a server is configured.
	SMTP SMTP
	// SecretKey encrypts what Lekwacht must keep secret in the database: the
	// client secrets of single sign-on (LEKWACHT_SECRET_KEY, 32 bytes in
	// base64). Empty: single sign-on cannot be configured.
	SecretKey []byte
	// DemoOPIssuer is the demo OpenID provider that `lekwacht demo`
	// configures for the demo organisation (LEKWACHT_DEMO_OP_ISSUER; make run).
	DemoOPIssuer string
}

// SMTP configures outgoing mail.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      string // none, starttls or tls
	From     string // LEKWACHT_MAIL_FROM
}

// Setting documents one environment variable; the README's table follows it.
type Setting struct {
	Name, Default, Meaning string
}

// Settings lists every environment variable Lekwacht reads.
var Settings = []Setting{
	{"DATABASE_URL", "(verplicht)", "PostgreSQL-verbinding van de app, bijv. postgres://lekwacht_app:pass@host:5432/lekwacht; de app werkt als de rol lekwacht_runtime, waarvan deze gebruiker lid moet zijn"},
	{"DATABASE_MIGRATE_URL", "DATABASE_URL", "PostgreSQL-verbinding van de eigenaar van het schema, voor lekwacht migrate, audit verify en LEKWACHT_MIGRATE; leeg: DATABASE_URL (ontwikkeling)"},
	{"LEKWACHT_ADDR", ":8080", "adres en poort waarop de webserver luistert"},
	{"LEKWACHT_BASE_URL", "http://localhost:8080", "adres waarop gebruikers Lekwacht bereiken; met https: veilige cookies en HSTS"},
	{"LEKWACHT_DB_MAX_CONNS", "max(8, 4×GOMAXPROCS)", "hoogste aantal databaseverbindingen van één server (2-1000); blijf onder max_connections van PostgreSQL"},
	{"LEKWACHT_MIGRATE", "false", "true: databaseschema bijwerken bij het starten van serve"},
	{"LEKWACHT_SESSION_IDLE", "30m", "uitloggen na zo lang geen activiteit"},
	{"LEKWACHT_SESSION_LIFETIME", "12h", "uitloggen zo lang na het inloggen, hoe dan ook"},
	{"LEKWACHT_CLIENT_IP_HEADER", "(leeg)", "header waarin een reverse proxy het adres van de bezoeker zet (bijv. X-Forwarded-For, de laatste waarde telt); leeg: het adres van de verbinding"},
	{"LEKWACHT_LOG_LEVEL", "info", "debug, info, warn of error"},
	{"LEKWACHT_LOG_FORMAT", "text", "text of json"},
	{"LEKWACHT_SMTP_HOST", "(leeg)", "mailserver (SMTP); leeg: er gaat geen mail uit, berichten blijven in de wachtrij en staan in de app"},
	{"LEKWACHT_SMTP_PORT", "587 (465 bij tls)", "poort van de mailserver"},
	{"LEKWACHT_SMTP_USERNAME", "(leeg)", "gebruikersnaam voor de mailserver; leeg: zonder inloggen"},
	{"LEKWACHT_SMTP_PASSWORD", "(leeg)", "wachtwoord voor de mailserver (wordt nooit getoond of gelogd)"},
	{"LEKWACHT_SMTP_TLS", "starttls", "starttls (verplicht), tls (vanaf het begin, poort 465) of none (alleen voor een lokale mailcatcher)"},
	{"LEKWACHT_MAIL_FROM", "(verplicht met SMTP)", "afzender, bijv. Lekwacht <noreply@school.nl>"},
	{"LEKWACHT_DEMO_OP_ISSUER", "(leeg)", "alleen voor make run: de demo-inlogdienst die lekwacht demo voor de demo-organisatie instelt"},
	{"LEKWACHT_SECRET_KEY", "(leeg)", "32 willekeurige bytes in base64 (openssl rand -base64 32) waarmee de clientgeheimen van single sign-on versleuteld bewaard worden en waarvan de markering voor een na het verlopen van de sessie verstuurde melding wordt afgeleid (wordt nooit getoond of gelogd; geef elke app-server dezelfde); leeg: single sign-on kan niet worden ingesteld"},
}

// Load reads the configuration through getenv and validates it.
func Load(getenv func(string) string) (Config, error) {
	c := Config{
		DatabaseURL:    getenv("DATABASE_URL"),
		MigrateURL:     getenv("DATABASE_MIGRATE_URL"),
		Addr:           or(getenv("LEKWACHT_ADDR"), ":8080"),
		BaseURL:        strings.TrimRight(or(getenv("LEKWACHT_BASE_URL"), "http://localhost:8080"), "/"),
		LogFormat:      or(getenv("LEKWACHT_LOG_FORMAT"), "text"),
		ClientIPHeader: strings.TrimSpace(getenv("LEKWACHT_CLIENT_IP_HEADER")),
		DemoOPIssuer:   strings.TrimSpace(getenv("LEKWACHT_DEMO_OP_ISSUER")),
	}
	var errs []error
	bad := func(name, value, why string) {
		errs = append(errs, fmt.Errorf("%s=%q: %s", name, value, why))
	}
	if v := getenv("LEKWACHT_MIGRATE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad("LEKWACHT_MIGRATE", v, "gebruik true of false")
		}
		c.Migrate = b
	}
	c.DBMaxConns = DefaultDBMaxConns()
	if v := getenv("LEKWACHT_DB_MAX_CONNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2 || n > 1000 {
			bad("LEKWACHT_DB_MAX_CONNS", v, "gebruik een geheel getal van 2 tot en met 1000")
		}
		c.DBMaxConns = n
	}
	dur := func(name, def string, min time.Duration) time.Duration {
		v := or(getenv(name), def)
		d, err := time.ParseDuration(v)
		if err != nil {
			bad(name, v, "geen geldige duur; gebruik bijvoorbeeld 30m of 12h")
			return 0
		}
		if d < min {
			bad(name, v, fmt.Sprintf("moet minstens %s zijn", min))
		}
		return d
	}
	c.SessionIdle = dur("LEKWACHT_SESSION_IDLE", "30m", time.Minute)
	c.SessionLifetime = dur("LEKWACHT_SESSION_LIFETIME", "12h", time.Minute)
	if c.SessionIdle > 0 && c.SessionLifetime > 0 && c.SessionIdle > c.SessionLifetime {
		errs = append(errs, errors.New("LEKWACHT_SESSION_IDLE mag niet langer zijn dan LEKWACHT_SESSION_LIFETIME"))
	}
	if v := getenv("LEKWACHT_LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			bad("LEKWACHT_LOG_LEVEL", v, "gebruik debug, info, warn of error")
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("LEKWACHT_LOG_FORMAT", c.LogFormat, "gebruik text of json")
	}
	c.SMTP = SMTP{Host: getenv("LEKWACHT_SMTP_HOST"), Username: getenv("LEKWACHT_SMTP_USERNAME"),
		Password: getenv("LEKWACHT_SMTP_PASSWORD"), TLS: or(getenv("LEKWACHT_SMTP_TLS"), "starttls"), From: getenv("LEKWACHT_MAIL_FROM")}
	switch c.SMTP.TLS {
	case "none", "starttls", "tls":
	default:
		bad("LEKWACHT_SMTP_TLS", c.SMTP.TLS, "gebruik starttls, tls of none")
	}
	defPort := "587"
	if c.SMTP.TLS == "tls" {
		defPort = "465"
	}
	if v := or(getenv("LEKWACHT_SMTP_PORT"), defPort); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 65535 {
			bad("LEKWACHT_SMTP_PORT", v, "geen geldige poort (1-65535)")
		}
		c.SMTP.Port = p
	}
	if c.SMTP.Host != "" {
		if c.SMTP.From == "" {
			errs = append(errs, errors.New("LEKWACHT_MAIL_FROM ontbreekt: met LEKWACHT_SMTP_HOST is een afzender nodig, bijv. Lekwacht <noreply@school.nl>"))
		} else if _, err := mail.ParseAddress(c.SMTP.From); err != nil {
			bad("LEKWACHT_MAIL_FROM", c.SMTP.From, "geen geldig afzenderadres; gebruik bijv. Lekwacht <noreply@school.nl>")
		}
		if c.SMTP.Password != "" && c.SMTP.Username == "" {
			errs = append(errs, errors.New("LEKWACHT_SMTP_PASSWORD is gezet zonder LEKWACHT_SMTP_USERNAME"))
		}
	}
	if v := strings.TrimSpace(getenv("LEKWACHT_SECRET_KEY")); v != "" {
		k, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			k, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(v, "="))
		}
		if err != nil || len(k) != 32 {
			// The value itself is a secret: not in the message.
			errs = append(errs, errors.New("LEKWACHT_SECRET_KEY moet 32 bytes in base64 zijn; maak er een met: openssl rand -base64 32"))
		}
		c.SecretKey = k
	}
	if c.DatabaseURL == "" {
		errs = append(errs, errors.New("DATABASE_URL ontbreekt: geef de PostgreSQL-verbinding op, bijv. postgres://user:pass@host:5432/lekwacht (of gebruik make run)"))
	} else if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql" && !strings.Contains(c.DatabaseURL, "=")) {
		errs = append(errs, errors.New("DATABASE_URL is geen geldige PostgreSQL-verbinding (verwacht postgres://… of host=… dbname=…)"))
	}
	if c.MigrateURL != "" {
		if u, err := url.Parse(c.MigrateURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql" && !strings.Contains(c.MigrateURL, "=")) {
			errs = append(errs, errors.New("DATABASE_MIGRATE_URL is geen geldige PostgreSQL-verbinding (verwacht postgres://… of host=… dbname=…)"))
		}
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("LEKWACHT_BASE_URL", c.BaseURL, "verwacht een volledig adres zoals https://lekwacht.example.nl")
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("ongeldige configuratie:\n  %w", joinLines(errs))
	}
	return c, nil
}

// DefaultDBMaxConns is the pool size when LEKWACHT_DB_MAX_CONNS is unset:
// four connections per core, at least eight (a request holds a connection
// only for its queries, so a few per core keep the cores busy while others
// wait on the network).
func DefaultDBMaxConns() int { return max(8, 4*runtime.GOMAXPROCS(0)) }

// OwnerURL is the connection of the schema's owner: DATABASE_MIGRATE_URL,
// else DATABASE_URL (one login role in development).
func (c Config) OwnerURL() string {
	if c.MigrateURL != "" {
		return c.MigrateURL
	}
	return c.DatabaseURL
}

// Secure reports whether Lekwacht is served over https.
func (c Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// String describes the configuration without secrets.
func (c Config) String() string {
	smtp := "none"
	if c.SMTP.Host != "" {
		smtp = fmt.Sprintf("%s:%d/%s", c.SMTP.Host, c.SMTP.Port, c.SMTP.TLS)
		if c.SMTP.Username != "" {
			smtp += " (met inlog)"
		}
	}
	return fmt.Sprintf("addr=%s base_url=%s database=%s db_max_conns=%d migrate=%t session_idle=%s session_lifetime=%s smtp=%s",
		c.Addr, c.BaseURL, RedactURL(c.DatabaseURL), c.DBMaxConns, c.Migrate, c.SessionIdle, c.SessionLifetime, smtp)
}

// RedactURL hides the password in a connection URL.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		if strings.Contains(s, "password=") {
			return "(verbinding met wachtwoord)"
		}
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

type lines []error

func (l lines) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n  ")
}

func joinLines(errs []error) error { return lines(errs) }
