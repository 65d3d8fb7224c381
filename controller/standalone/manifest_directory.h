#pragma once
// The standalone source's view of a manifest folder: every *.yaml, *.yml and *.json file
// directly in it (hidden files and subfolders are skipped), read in file name order.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "controller/model/object.h"

namespace portico::controller {

// Keeps, per file, the last text read and the objects of its last good version: a file that
// fails to parse keeps serving what it last defined correctly (nothing, if it never did),
// while other files' changes still apply. A file that disappears takes its objects with it.
// Not thread-safe: one thread at a time (the watcher thread, or start() before it runs).
class ManifestDirectory {
 public:
  explicit ManifestDirectory(std::filesystem::path directory) : directory_(std::move(directory)) {}

  // Reads the folder again. Only files whose text changed are parsed; their errors are
  // logged ("FILE:LINE: message") once per text. Returns every file's last good objects;
  // when two files define the same object, the first file (by name) wins with a warning.
  // Fails only when the folder cannot be listed.
  Result<std::vector<Object>> reload();

 private:
  struct FileState {
    std::optional<std::string> text;  // unset until the file was read once
    std::vector<Object> good_objects;
  };

  // Updates `state` from `path`'s current text.
  static void refresh(const std::filesystem::path& path, FileState& state);

  const std::filesystem::path directory_;
  std::map<std::string, FileState> files_;  // by file name
};

}  // namespace portico::controller
