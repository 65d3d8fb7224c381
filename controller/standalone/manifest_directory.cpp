#include "controller/standalone/manifest_directory.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>
#include <tuple>

#include "common/log.h"
#include "controller/standalone/manifest_parser.h"

namespace portico::controller {
namespace {

bool is_manifest(const std::filesystem::directory_entry& entry) {
  const std::string name = entry.path().filename().string();
  const std::string extension = entry.path().extension().string();
  std::error_code error;
  return !name.empty() && name[0] != '.' &&
         (extension == ".yaml" || extension == ".yml" || extension == ".json") &&
         entry.is_regular_file(error);
}

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in) return Error{path.string() + ": cannot read: " + std::strerror(errno)};
  return text.str();
}

}  // namespace

void ManifestDirectory::refresh(const std::filesystem::path& path, FileState& state) {
  Result<std::string> text = read_file(path);
  if (!text) {
    log::error("manifest unreadable; keeping its last good objects", {{"error", text.error()}});
    return;
  }
  if (state.text == text.value()) return;
  state.text = std::move(text.value());
  ParsedManifest parsed = parse_manifest(*state.text, path.string());
  if (!parsed.errors.empty()) {
    for (const std::string& error : parsed.errors) {
      log::error("manifest rejected; keeping its last good objects", {{"error", error}});
    }
    return;
  }
  log::info("manifest loaded",
            {{"file", path.string()}, {"objects", std::to_string(parsed.objects.size())}});
  state.good_objects = std::move(parsed.objects);
}

Result<std::vector<Object>> ManifestDirectory::reload() {
  std::error_code error;
  std::filesystem::directory_iterator it(directory_, error);
  if (error) return Error{directory_.string() + ": cannot read folder: " + error.message()};
  std::set<std::string> names;
  for (; it != std::filesystem::directory_iterator(); it.increment(error)) {
    if (is_manifest(*it)) names.insert(it->path().filename().string());
  }
  if (error) return Error{directory_.string() + ": cannot read folder: " + error.message()};

  for (auto file = files_.begin(); file != files_.end();) {
    if (names.contains(file->first)) {
      ++file;
    } else {
      log::info("manifest removed", {{"file", (directory_ / file->first).string()}});
      file = files_.erase(file);
    }
  }

  std::vector<Object> objects;
  std::map<std::tuple<std::size_t, std::string>, std::string> defined_in;  // kind, key -> file
  for (const std::string& name : names) {
    FileState& state = files_[name];
    refresh(directory_ / name, state);
    for (const Object& object : state.good_objects) {
      auto [first, inserted] =
          defined_in.emplace(std::make_tuple(object.index(), meta_of(object).key()), name);
      if (!inserted) {
        log::warn("object defined in two manifests; the first file wins",
                  {{"kind", std::string(kind_of(object))},
                   {"object", meta_of(object).key()},
                   {"used", first->second},
                   {"ignored", name}});
        continue;
      }
      objects.push_back(object);
    }
  }
  return objects;
}

}  // namespace portico::controller
