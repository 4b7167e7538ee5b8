package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://u:geheim@db:5432/lekwacht"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.BaseURL != "http://localhost:8080" || c.Migrate || c.SessionIdle != 30*time.Minute ||
		c.SessionLifetime != 12*time.Hour || c.Secure() || c.LogFormat != "text" {
		t.Errorf("defaults: %+v", c)
	}
	if strings.Contains(c.String(), "geheim") {
		t.Errorf("String() shows the password: %s", c)
	}
	// One login role in development: migrations run on DATABASE_URL.
	if c.OwnerURL() != c.DatabaseURL {
		t.Errorf("owner URL %q without DATABASE_MIGRATE_URL", c.OwnerURL())
	}
	c, err = Load(env(map[string]string{"DATABASE_URL": "postgres://app@db/lekwacht", "DATABASE_MIGRATE_URL": "postgres://owner@db/lekwacht"}))
	if err != nil || c.OwnerURL() != "postgres://owner@db/lekwacht" || c.DatabaseURL != "postgres://app@db/lekwacht" {
		t.Errorf("owner URL %q, app URL %q, %v", c.OwnerURL(), c.DatabaseURL, err)
	}
}

func TestLoadHTTPSAndOverrides(t *testing.T) {
	c, err := Load(env(map[string]string{
		"DATABASE_URL": "postgres://db/lekwacht", "LEKWACHT_BASE_URL": "https://lekwacht.example.nl/",
		"LEKWACHT_MIGRATE": "true", "LEKWACHT_SESSION_IDLE": "15m", "LEKWACHT_LOG_FORMAT": "json", "LEKWACHT_LOG_LEVEL": "debug",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Secure() || c.BaseURL != "https://lekwacht.example.nl" || !c.Migrate || c.SessionIdle != 15*time.Minute || c.LogFormat != "json" {
		t.Errorf("overrides: %+v", c)
	}
}

func TestLoadNamesEveryBadValue(t *testing.T) {
	_, err := Load(env(map[string]string{
		"LEKWACHT_MIGRATE": "misschien", "LEKWACHT_SESSION_IDLE": "een uur", "LEKWACHT_SESSION_LIFETIME": "10s",
		"LEKWACHT_LOG_LEVEL": "luid", "LEKWACHT_LOG_FORMAT": "xml", "LEKWACHT_BASE_URL": "lekwacht.nl",
		"DATABASE_MIGRATE_URL": "eigenaar",
	}))
	if err == nil {
		t.Fatal("no error")
	}
	for _, name := range []string{"DATABASE_URL", "DATABASE_MIGRATE_URL", "LEKWACHT_MIGRATE", "LEKWACHT_SESSION_IDLE", "LEKWACHT_SESSION_LIFETIME",
		"LEKWACHT_LOG_LEVEL", "LEKWACHT_LOG_FORMAT", "LEKWACHT_BASE_URL"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s:\n%v", name, err)
		}
	}
}

func TestSettingsDocumentEveryVariable(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Settings {
		seen[s.Name] = true
	}
	for _, name := range []string{"DATABASE_URL", "DATABASE_MIGRATE_URL", "LEKWACHT_ADDR", "LEKWACHT_BASE_URL", "LEKWACHT_MIGRATE", "LEKWACHT_DB_MAX_CONNS",
		"LEKWACHT_SESSION_IDLE", "LEKWACHT_SESSION_LIFETIME", "LEKWACHT_LOG_LEVEL", "LEKWACHT_LOG_FORMAT",
		"LEKWACHT_SMTP_HOST", "LEKWACHT_SMTP_PORT", "LEKWACHT_SMTP_USERNAME", "LEKWACHT_SMTP_PASSWORD", "LEKWACHT_SMTP_TLS", "LEKWACHT_MAIL_FROM", "LEKWACHT_SECRET_KEY"} {
		if !seen[name] {
			t.Errorf("%s is read but not documented in Settings", name)
		}
	}
}

func TestLoadSMTP(t *testing.T) {
	base := map[string]string{"DATABASE_URL": "postgres://db/lekwacht"}
	c, err := Load(env(base))
	if err != nil || c.SMTP.Host != "" || c.SMTP.TLS != "starttls" || c.SMTP.Port != 587 || !strings.Contains(c.String(), "smtp=none") {
		t.Errorf("without SMTP: %+v %v", c.SMTP, err)
	}
	with := map[string]string{"DATABASE_URL": "postgres://db/lekwacht", "LEKWACHT_SMTP_HOST": "smtp.school.nl", "LEKWACHT_SMTP_TLS": "tls",
		"LEKWACHT_SMTP_USERNAME": "lekwacht", "LEKWACHT_SMTP_PASSWORD": "zeer-geheim", "LEKWACHT_MAIL_FROM": "Lekwacht <noreply@school.nl>"}
	c, err = Load(env(with))
	if err != nil || c.SMTP.Port != 465 || c.SMTP.From != "Lekwacht <noreply@school.nl>" {
		t.Errorf("with SMTP over TLS: %+v %v", c.SMTP, err)
	}
	if strings.Contains(c.String(), "zeer-geheim") {
		t.Errorf("String() shows the SMTP password: %s", c)
	}
	_, err = Load(env(map[string]string{"DATABASE_URL": "postgres://db/lekwacht", "LEKWACHT_SMTP_HOST": "smtp.school.nl",
		"LEKWACHT_SMTP_TLS": "soms", "LEKWACHT_SMTP_PORT": "99999", "LEKWACHT_SMTP_PASSWORD": "x"}))
	for _, name := range []string{"LEKWACHT_SMTP_TLS", "LEKWACHT_SMTP_PORT", "LEKWACHT_MAIL_FROM", "LEKWACHT_SMTP_USERNAME"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

// The pool size was pgx's default of 4, and 200 users queued for it.
func TestLoadDBMaxConns(t *testing.T) {
	c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://db/lekwacht"}))
	if err != nil || c.DBMaxConns != DefaultDBMaxConns() || c.DBMaxConns < 8 || !strings.Contains(c.String(), "db_max_conns=") {
		t.Errorf("default: %d %v", c.DBMaxConns, err)
	}
	c, err = Load(env(map[string]string{"DATABASE_URL": "postgres://db/lekwacht", "LEKWACHT_DB_MAX_CONNS": "40"}))
	if err != nil || c.DBMaxConns != 40 {
		t.Errorf("40: %d %v", c.DBMaxConns, err)
	}
	for _, bad := range []string{"1", "0", "-3", "veel", "1001", "4.5"} {
		_, err := Load(env(map[string]string{"DATABASE_URL": "postgres://db/lekwacht", "LEKWACHT_DB_MAX_CONNS": bad}))
		if err == nil || !strings.Contains(err.Error(), "LEKWACHT_DB_MAX_CONNS") || !strings.Contains(err.Error(), "geheel getal") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestLoadSecretKey(t *testing.T) {
	key := "q3v1b2n3k4l5m6n7o8p9q0r1s2t3u4v5w6x7y8z9AAA="
	c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://db/lekwacht", "LEKWACHT_SECRET_KEY": key}))
	if err != nil || len(c.SecretKey) != 32 || strings.Contains(c.String(), key) {
		t.Fatalf("secret key: %d bytes, %v, shown %v", len(c.SecretKey), err, strings.Contains(c.String(), key))
	}
	_, err = Load(env(map[string]string{"DATABASE_URL": "postgres://db/lekwacht", "LEKWACHT_SECRET_KEY": "te-kort-geheim"}))
	if err == nil || !strings.Contains(err.Error(), "LEKWACHT_SECRET_KEY") || strings.Contains(err.Error(), "te-kort-geheim") {
		t.Fatalf("bad key: %v", err)
	}
}
