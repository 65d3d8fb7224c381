#include "proxy/balancer/maglev_table.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace portico::proxy {
namespace {

Endpoint make_endpoint(int n, uint32_t weight = 1) {
  const boost::asio::ip::tcp::endpoint address(
      boost::asio::ip::address_v4(0x0A000000u + static_cast<uint32_t>(n)), 8080);
  return {address, weight, std::make_shared<EndpointState>(endpoint_identity(address))};
}

std::vector<Endpoint> make_endpoints(int count) {
  std::vector<Endpoint> endpoints;
  for (int i = 0; i < count; ++i) endpoints.push_back(make_endpoint(i));
  return endpoints;
}

// Slots per endpoint index, read through lookup(): hashes 0 .. M-1 visit every slot once.
std::vector<std::size_t> slot_counts(const MaglevTable& table) {
  std::vector<std::size_t> counts(table.endpoint_count(), 0);
  for (uint64_t slot = 0; slot < table.table_size(); ++slot) {
    const std::size_t index = table.lookup(slot);
    EXPECT_LT(index, counts.size()) << "slot " << slot << " holds no endpoint";
    if (index < counts.size()) ++counts[index];
  }
  return counts;
}

bool is_prime(std::size_t n) {
  if (n < 2) return false;
  for (std::size_t d = 2; d * d <= n; ++d) {
    if (n % d == 0) return false;
  }
  return true;
}

std::vector<uint64_t> random_keys(std::size_t count) {
  std::mt19937_64 random(20240611);
  std::vector<uint64_t> keys(count);
  for (uint64_t& key : keys) key = random();
  return keys;
}

// The identity each key reaches through a Maglev table over `endpoints`.
std::vector<std::string> maglev_owners(const std::vector<Endpoint>& endpoints,
                                       const std::vector<uint64_t>& keys) {
  const std::shared_ptr<const MaglevTable> table = MaglevTable::build(endpoints);
  std::vector<std::string> owners;
  owners.reserve(keys.size());
  for (uint64_t key : keys) owners.push_back(endpoints[table->lookup(key)].state->identity);
  return owners;
}

// The identity each key reaches by plain hash % N over the same list.
std::vector<std::string> modulo_owners(const std::vector<Endpoint>& endpoints,
                                       const std::vector<uint64_t>& keys) {
  std::vector<std::string> owners;
  owners.reserve(keys.size());
  for (uint64_t key : keys) owners.push_back(endpoints[key % endpoints.size()].state->identity);
  return owners;
}

double changed_fraction(const std::vector<std::string>& before,
                        const std::vector<std::string>& after) {
  std::size_t changed = 0;
  for (std::size_t i = 0; i < before.size(); ++i) changed += before[i] != after[i];
  return static_cast<double>(changed) / static_cast<double>(before.size());
}

// Among the keys that neither left nor reached `churned` (the endpoint removed or added),
// the fraction that kept their endpoint.
double kept_fraction(const std::vector<std::string>& before, const std::vector<std::string>& after,
                     const std::string& churned) {
  std::size_t eligible = 0;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (before[i] == churned || after[i] == churned) continue;
    ++eligible;
    kept += before[i] == after[i];
  }
  return static_cast<double>(kept) / static_cast<double>(eligible);
}

TEST(MaglevTableTest, TableSizeIsAPrimeWithAHundredSlotsPerEndpointUpToTheCap) {
  for (std::size_t count : {1u, 3u, 10u, 100u, 655u, 656u, 1000u, 1310u}) {
    const std::size_t size = MaglevTable::table_size_for(count);
    EXPECT_TRUE(is_prime(size)) << size;
    EXPECT_GE(size, 100 * count) << count;
  }
  EXPECT_EQ(MaglevTable::table_size_for(50000), MaglevTable::table_size_for(1311)) << "capped";
}

// A new size reshuffles the whole table, so ordinary scaling must not change it.
TEST(MaglevTableTest, TableSizeHoldsStillWhilePoolsScale) {
  for (std::size_t count = 2; count <= 655; ++count) {
    ASSERT_EQ(MaglevTable::table_size_for(count), MaglevTable::table_size_for(1)) << count;
  }
}

TEST(MaglevTableTest, EveryEndpointOwnsAnEvenShareToWithinOneSlot) {
  for (int count : {3, 10, 100}) {
    const std::shared_ptr<const MaglevTable> table = MaglevTable::build(make_endpoints(count));
    ASSERT_EQ(table->endpoint_count(), static_cast<std::size_t>(count));
    EXPECT_EQ(table->table_size(), MaglevTable::table_size_for(count));
    const std::vector<std::size_t> counts = slot_counts(*table);
    const double even = static_cast<double>(table->table_size()) / count;
    for (int i = 0; i < count; ++i) {
      EXPECT_NEAR(static_cast<double>(counts[i]), even, 1.0) << "endpoint " << i << " of " << count;
    }
  }
}

TEST(MaglevTableTest, WeightsSetTheShareOfSlots) {
  std::vector<Endpoint> endpoints = {make_endpoint(0, 2), make_endpoint(1, 1), make_endpoint(2, 1)};
  const std::shared_ptr<const MaglevTable> table = MaglevTable::build(endpoints);
  const std::vector<std::size_t> counts = slot_counts(*table);
  const double size = static_cast<double>(table->table_size());
  EXPECT_NEAR(counts[0] / size, 0.50, 0.01);
  EXPECT_NEAR(counts[1] / size, 0.25, 0.01);
  EXPECT_NEAR(counts[2] / size, 0.25, 0.01);
  EXPECT_NEAR(static_cast<double>(counts[0]) / static_cast<double>(counts[1]), 2.0, 0.05);
}

TEST(MaglevTableTest, ZeroWeightOwnsNothingUnlessEveryWeightIsZero) {
  const std::vector<Endpoint> mixed = {make_endpoint(0, 1), make_endpoint(1, 0),
                                       make_endpoint(2, 1)};
  std::vector<std::size_t> counts = slot_counts(*MaglevTable::build(mixed));
  EXPECT_EQ(counts[1], 0u);
  EXPECT_GT(counts[0], 0u);
  EXPECT_GT(counts[2], 0u);

  const std::vector<Endpoint> weightless = {make_endpoint(0, 0), make_endpoint(1, 0)};
  counts = slot_counts(*MaglevTable::build(weightless));
  EXPECT_NEAR(static_cast<double>(counts[0]), static_cast<double>(counts[1]), 1.0);
}

TEST(MaglevTableTest, SlotsFollowIdentityNotPosition) {
  std::vector<Endpoint> endpoints = make_endpoints(10);
  const std::shared_ptr<const MaglevTable> forward = MaglevTable::build(endpoints);
  std::vector<Endpoint> shuffled = endpoints;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(7));
  const std::shared_ptr<const MaglevTable> reordered = MaglevTable::build(shuffled);
  ASSERT_EQ(forward->table_size(), reordered->table_size());
  for (uint64_t slot = 0; slot < forward->table_size(); ++slot) {
    ASSERT_EQ(endpoints[forward->lookup(slot)].state->identity,
              shuffled[reordered->lookup(slot)].state->identity)
        << "slot " << slot;
  }
}

TEST(MaglevTableTest, NoEndpointsGivesAnEmptyTable) {
  const std::shared_ptr<const MaglevTable> table = MaglevTable::build({});
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->endpoint_count(), 0u);
}

struct Remap {
  double maglev_remapped;  // of all keys
  double maglev_kept;      // of the keys that neither left nor reached the churned endpoint
  double modulo_remapped;  // of all keys, had the same lists been balanced by hash % N
  double to_churned;       // of all keys, owned by the churned endpoint after the change
};

// How keys move when `before` becomes `after`, which differ by the one endpoint `churned`;
// shown in the test output and recorded as test properties under `label`.
Remap measure_remap(const std::vector<Endpoint>& before, const std::vector<Endpoint>& after,
                    const std::string& churned, const std::string& label) {
  const std::vector<uint64_t> keys = random_keys(100000);
  const std::vector<std::string> maglev_before = maglev_owners(before, keys);
  const std::vector<std::string> maglev_after = maglev_owners(after, keys);
  const Remap remap{
      .maglev_remapped = changed_fraction(maglev_before, maglev_after),
      .maglev_kept = kept_fraction(maglev_before, maglev_after, churned),
      .modulo_remapped = changed_fraction(modulo_owners(before, keys), modulo_owners(after, keys)),
      .to_churned =
          static_cast<double>(std::count(maglev_after.begin(), maglev_after.end(), churned)) /
          static_cast<double>(keys.size())};
  testing::Test::RecordProperty("maglev_remap_fraction_" + label,
                                std::to_string(remap.maglev_remapped));
  testing::Test::RecordProperty("modulo_remap_fraction_" + label,
                                std::to_string(remap.modulo_remapped));
  std::printf(
      "%s: maglev remaps %.4f of keys (%.4f of the others' keys stay), hash %% N remaps %.4f\n",
      label.c_str(), remap.maglev_remapped, remap.maglev_kept, remap.modulo_remapped);
  return remap;
}

TEST(MaglevTableTest, RemovingOneOfTenEndpointsRemapsAboutATenthOfKeys) {
  const std::vector<Endpoint> before = make_endpoints(10);
  std::vector<Endpoint> after = before;
  after.erase(after.begin() + 3);
  const Remap remap = measure_remap(before, after, before[3].state->identity, "remove_1_of_10");
  EXPECT_GE(remap.maglev_remapped, 0.08);
  EXPECT_LE(remap.maglev_remapped, 0.15);
  EXPECT_GE(remap.maglev_kept, 0.97);
  EXPECT_GT(remap.modulo_remapped, 0.8);
}

TEST(MaglevTableTest, AddingAnEleventhEndpointRemapsAboutAnEleventhOfKeys) {
  const std::vector<Endpoint> before = make_endpoints(10);
  std::vector<Endpoint> after = before;
  after.push_back(make_endpoint(10));
  const Remap remap = measure_remap(before, after, after.back().state->identity, "add_11th");
  EXPECT_GE(remap.maglev_remapped, 0.08);
  EXPECT_LE(remap.maglev_remapped, 0.15);
  EXPECT_GE(remap.maglev_kept, 0.97);
  EXPECT_NEAR(remap.to_churned, 1.0 / 11, 0.01);
  EXPECT_GT(remap.modulo_remapped, 0.8);
}

}  // namespace
}  // namespace portico::proxy
