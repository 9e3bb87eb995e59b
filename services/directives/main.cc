// The directives server: documents, the concretizes cascade, tasks and dissemination.
// It owns the "directives" schema; its RPCs arrive with its own contract.
#include "common/server/service_host.h"

int main(int argc, char** argv) {
  using namespace caunoi;
  auto host =
      ServiceHost::Start(argc, argv, {.service = "directives", .listen_address = "127.0.0.1:50051"},
                         /*migrations=*/{});
  return host->Serve({});
}
