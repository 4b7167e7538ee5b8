package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"

	"github.com/oauth2-proxy/mockoidc"
)

// Demo OpenID provider (issue 11), for make run only: a standards-conforming
// provider (oauth2-proxy/mockoidc) on a loopback port, so that single
// sign-on can be tried locally. Whoever types an address of the demo domain
// on Lekwacht's sign-in page is signed in as that address (the login_hint):
// it asks for no password. Never for production.
const (
	demoOPClientID     = "lekwacht-demo"
	demoOPClientSecret = "lekwacht-demo-geheim"
)

func runDemoOP(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo-op", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "adres (alleen loopback)")
	issuerFile := fs.String("issuer-file", "", "schrijf het issuer-adres in dit bestand zodra de dienst luistert")
	if err := fs.Parse(args); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil || (host != "127.0.0.1" && host != "localhost" && host != "::1") {
		return fmt.Errorf("demo-op luistert alleen op een loopback-adres, bijv. 127.0.0.1:0")
	}
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		return err
	}
	m.ClientID, m.ClientSecret = demoOPClientID, demoOPClientSecret
	if err := m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == mockoidc.AuthorizationEndpoint {
				if hint := r.URL.Query().Get("login_hint"); hint != "" {
					m.QueueUser(&mockoidc.MockUser{Subject: hint, Email: hint, EmailVerified: true, PreferredUsername: hint})
				}
			}
			next.ServeHTTP(w, r)
		})
	}); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if err := m.Start(ln, nil); err != nil {
		return err
	}
	defer func() { _ = m.Shutdown() }()
	fmt.Fprintf(stdout, "Demo-inlogdienst (niet voor productie) luistert: issuer %s\n", m.Issuer())
	if *issuerFile != "" {
		if err := os.WriteFile(*issuerFile, []byte(m.Issuer()), 0o600); err != nil {
			return err
		}
	}
	<-ctx.Done()
	return nil
}
