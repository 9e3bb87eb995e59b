#include "services/gateway/relay/tls_context.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/config/read_file.h"
#include "common/logging/log.h"

namespace caunoi::gateway::relay {
namespace {

constexpr unsigned char kH2[] = {2, 'h', '2'};

// Serving: h2 when the caller offers it, as gRPC speaks nothing else.
int SelectH2(SSL* /*ssl*/, const unsigned char** out, unsigned char* out_length,
             const unsigned char* offered, unsigned int offered_length, void* /*arg*/) {
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_length, kH2, sizeof(kH2), offered, offered_length) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

bool IsIpAddress(absl::string_view name) {
  const std::string text(name);
  unsigned char address[sizeof(in6_addr)];
  return inet_pton(AF_INET, text.c_str(), address) == 1 ||
         inet_pton(AF_INET6, text.c_str(), address) == 1;
}

}  // namespace

std::string TlsError() {
  char text[256] = {};
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no detail";
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

absl::StatusOr<std::unique_ptr<TlsContext>> TlsContext::Load(Side side, TlsFiles files,
                                                             absl::Duration reload_interval) {
  std::unique_ptr<TlsContext> tls(new TlsContext(side, std::move(files), reload_interval));
  absl::StatusOr<std::string> contents = tls->ReadFiles();
  if (!contents.ok()) return contents.status();
  absl::StatusOr<SSL_CTX*> built = tls->Build();
  if (!built.ok()) return built.status();
  absl::MutexLock lock(&tls->mutex_);
  tls->context_ = *built;
  tls->loaded_ = *std::move(contents);
  tls->next_check_ = absl::Now() + reload_interval;
  return tls;
}

TlsContext::~TlsContext() {
  absl::MutexLock lock(&mutex_);
  SSL_CTX_free(context_);
}

absl::StatusOr<std::string> TlsContext::ReadFiles() const {
  // Named by the gateway's flags, as gRPC's own TLS would report them.
  const bool serving = side_ == Side::kServe;
  std::string contents;
  for (const auto& [path, flag] :
       {std::pair{files_.certificate, serving ? "tls_cert_file" : "backend_cert_file"},
        std::pair{files_.key, serving ? "tls_key_file" : "backend_key_file"},
        std::pair{files_.ca, serving ? "tls_client_ca_file" : "backend_ca_file"}}) {
    if (path.empty()) continue;
    absl::StatusOr<std::string> read = ReadFlagFile(path, flag);
    if (!read.ok()) return read.status();
    absl::StrAppend(&contents, *read, "\n--\n");
  }
  return contents;
}

absl::StatusOr<SSL_CTX*> TlsContext::Build() const {
  const bool serving = side_ == Side::kServe;
  SSL_CTX* context = SSL_CTX_new(serving ? TLS_server_method() : TLS_client_method());
  if (context == nullptr) return absl::InternalError(TlsError());
  auto failed = [&](absl::string_view what, const std::string& path) {
    SSL_CTX_free(context);
    return absl::InvalidArgumentError(absl::StrCat(what, " ", path, ": ", TlsError()));
  };
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  // Bytes are written to and read from memory, never to the socket: a
  // record's buffer may move between writes.
  SSL_CTX_set_mode(context, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
  if (!files_.certificate.empty()) {
    if (SSL_CTX_use_certificate_chain_file(context, files_.certificate.c_str()) != 1) {
      return failed("cannot use the certificate", files_.certificate);
    }
    if (SSL_CTX_use_PrivateKey_file(context, files_.key.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(context) != 1) {
      return failed("cannot use the key", files_.key);
    }
  }
  if (!files_.ca.empty()) {
    if (SSL_CTX_load_verify_locations(context, files_.ca.c_str(), nullptr) != 1) {
      return failed("cannot use the CA", files_.ca);
    }
    if (serving) {
      SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
      SSL_CTX_set_client_CA_list(context, SSL_load_client_CA_file(files_.ca.c_str()));
    } else {
      SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
    }
  }
  if (serving) {
    SSL_CTX_set_alpn_select_cb(context, &SelectH2, nullptr);
  } else {
    SSL_CTX_set_alpn_protos(context, kH2, sizeof(kH2));
  }
  return context;
}

SSL* TlsContext::NewConnection(absl::string_view peer_name) {
  SSL* connection = nullptr;
  {
    absl::MutexLock lock(&mutex_);
    if (const absl::Time now = absl::Now(); now >= next_check_) {
      next_check_ = now + reload_interval_;
      absl::StatusOr<std::string> contents = ReadFiles();
      if (contents.ok() && *contents != loaded_) {
        absl::StatusOr<SSL_CTX*> built = Build();
        if (built.ok()) {
          SSL_CTX_free(context_);  // connections made from it hold their own reference
          context_ = *built;
          loaded_ = *std::move(contents);
          log::Info("gateway.relay_tls_reloaded", {{"certificate", files_.certificate}});
        } else {
          log::Error("gateway.relay_tls_reload_failed", {{"error", built.status().message()}});
        }
      }
    }
    connection = SSL_new(context_);
  }
  if (connection == nullptr) return nullptr;
  if (side_ == Side::kServe) {
    SSL_set_accept_state(connection);
    return connection;
  }
  SSL_set_connect_state(connection);
  const std::string name(peer_name);
  if (IsIpAddress(name)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(connection), name.c_str());
  } else {
    SSL_set_tlsext_host_name(connection, name.c_str());
    SSL_set1_host(connection, name.c_str());
  }
  return connection;
}

}  // namespace caunoi::gateway::relay
