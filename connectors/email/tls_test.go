package email

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"leadwire/core"
)

// selfSigned returns a certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "imap.test"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// newTLSIMAP is newMemIMAP serving with TLS in the given mode.
func newTLSIMAP(t *testing.T, mode core.TLSMode, cert tls.Certificate) *memIMAP {
	t.Helper()
	m := &memIMAP{t: t, mem: imapmemserver.New(), user: imapmemserver.NewUser(testUser, testPass),
		tls: &tls.Config{Certificates: []tls.Certificate{cert}}, tlsMode: mode}
	m.mem.AddUser(m.user)
	if err := m.user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	m.start("127.0.0.1:0")
	t.Cleanup(m.stop)
	return m
}

func TestConnectionsAreEncryptedAndVerified(t *testing.T) {
	cert, pool := selfSigned(t)
	for _, mode := range []core.TLSMode{core.TLSImplicit, core.TLSStartTLS} {
		t.Run("with "+string(mode)+" it reads the mailbox over a verified connection", func(t *testing.T) {
			srv, e := newTLSIMAP(t, mode, cert), newEnv(t)
			srv.append("INBOX", msg("Ann <ann@prospect.example>", "Over TLS", "hi"), time.Time{})
			mb := srv.mailbox("sales")
			mb.TLS, mb.TLSConfig = mode, &tls.Config{RootCAs: pool}
			c := e.connector(mb)
			e.run(c)
			e.waitCount(c.Name(), core.CountCaptured, 1)
		})
		t.Run("with "+string(mode)+" it refuses a certificate it cannot verify", func(t *testing.T) {
			srv, e := newTLSIMAP(t, mode, cert), newEnv(t)
			mb := srv.mailbox("sales")
			mb.TLS = mode // the system roots do not know the test CA
			c := e.connector(mb)
			e.run(c)
			e.waitFor("the certificate error", func() bool {
				return strings.Contains(e.status(c.Name()).LastError, "certificate")
			})
		})
	}
}
