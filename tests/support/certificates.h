#ifndef CAUNOI_TESTS_SUPPORT_CERTIFICATES_H_
#define CAUNOI_TESTS_SUPPORT_CERTIFICATES_H_

#include <string>

#include "absl/status/status.h"

// Certificates a test makes for itself, with the openssl command.
namespace caunoi::testing {

// A CA (ca.crt, ca.key) and a server certificate it signed for 127.0.0.1
// and localhost (tls.crt, tls.key), in `directory`.
absl::Status MakeCertificates(const std::string& directory);

// A client certificate (client.crt, client.key) signed by the CA already
// in `directory`.
absl::Status MakeClientCertificate(const std::string& directory);

// The text of a certificate or key file; empty when it cannot be read.
std::string ReadPem(const std::string& path);

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_CERTIFICATES_H_
