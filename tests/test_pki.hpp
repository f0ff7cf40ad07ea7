// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_TESTS_TEST_PKI_HPP
#define GCX_TESTS_TEST_PKI_HPP

// Throw-away certificates for the HTTPS tests (transports, gcx-sim, gcx-lookup end to end), made
// at test time with the openssl command line.

#include <stdlib.h>  // mkdtemp

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace gcx_test {

/// A throw-away PKI made with the openssl command line, in a temporary directory removed at
/// exit: a CA, a server certificate it signed for 127.0.0.1 and localhost, and a certificate
/// from the same CA for another name only.
class test_pki {
public:
    static const test_pki& instance() {
        static const test_pki pki;
        return pki;
    }

    std::string ca_cert;      ///< PEM of the CA
    std::string server_cert;  ///< SAN IP:127.0.0.1, DNS:localhost, DNS:gcx-sim.test (a name only a test proxy resolves)
    std::string server_key;
    std::string other_cert;  ///< SAN DNS:other.invalid only
    std::string other_key;

    test_pki(const test_pki&) = delete;
    test_pki& operator=(const test_pki&) = delete;
    ~test_pki() {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

private:
    test_pki() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "gcx-pki-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        dir_ = tmpl;
        auto path = [this](const char* name) { return (dir_ / name).string(); };
        ca_cert = path("ca.pem");
        server_cert = path("server.pem");
        server_key = path("server.key");
        other_cert = path("other.pem");
        other_key = path("other.key");
        write(path("server.ext"), "basicConstraints=critical,CA:FALSE\n"
                                  "keyUsage=critical,digitalSignature,keyEncipherment\n"
                                  "extendedKeyUsage=serverAuth\n"
                                  "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:gcx-sim.test\n");
        write(path("other.ext"), "basicConstraints=critical,CA:FALSE\n"
                                 "keyUsage=critical,digitalSignature,keyEncipherment\n"
                                 "extendedKeyUsage=serverAuth\n"
                                 "subjectAltName=DNS:other.invalid\n");
        const std::string d = "'" + dir_.string() + "/";
        const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
        run("openssl req -x509" + ec + "-keyout " + d + "ca.key' -out " + d +
            "ca.pem' -days 2 -subj '/CN=gcx test CA' "
            "-addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign'");
        for (const char* name : {"server", "other"}) {
            const std::string n = name;
            run("openssl req" + ec + "-keyout " + d + n + ".key' -out " + d + n + ".csr' -subj '/CN=gcx test " + n +
                "'");
            run("openssl x509 -req -in " + d + n + ".csr' -CA " + d + "ca.pem' -CAkey " + d +
                "ca.key' -CAcreateserial -days 2 -extfile " + d + n + ".ext' -out " + d + n + ".pem'");
        }
    }

    static void write(const std::string& file, const std::string& text) { std::ofstream(file) << text; }

    static void run(const std::string& cmd) {
        const std::string quiet = cmd + " >/dev/null 2>&1";
        if (std::system(quiet.c_str()) != 0) throw std::runtime_error("test PKI: command failed: " + cmd);
    }

    std::filesystem::path dir_;
};

}  // namespace gcx_test

#endif
