#ifndef CAUNOI_SERVICES_DIRECTIVES_DOCUMENT_CHANGES_H_
#define CAUNOI_SERVICES_DIRECTIVES_DOCUMENT_CHANGES_H_

#include "absl/strings/string_view.h"
#include "common/changes/change_store.h"

namespace caunoi::directives {

// "directives/5", not a task or anything else below a document.
bool IsDocumentName(absl::string_view resource);

// Decodes a document's state, once for every WatchDocuments watcher, when
// the first of them reaches it.
changes::Decoder DocumentDecoder();

}  // namespace caunoi::directives

#endif  // CAUNOI_SERVICES_DIRECTIVES_DOCUMENT_CHANGES_H_
