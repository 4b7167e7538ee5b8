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
	}))
	if err == nil {
		t.Fatal("no error")
	}
	for _, name := range []string{"DATABASE_URL", "LEKWACHT_MIGRATE", "LEKWACHT_SESSION_IDLE", "LEKWACHT_SESSION_LIFETIME",
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
	for _, name := range []string{"DATABASE_URL", "LEKWACHT_ADDR", "LEKWACHT_BASE_URL", "LEKWACHT_MIGRATE",
		"LEKWACHT_SESSION_IDLE", "LEKWACHT_SESSION_LIFETIME", "LEKWACHT_LOG_LEVEL", "LEKWACHT_LOG_FORMAT"} {
		if !seen[name] {
			t.Errorf("%s is read but not documented in Settings", name)
		}
	}
}
