#include "proxy/net/deadline.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include <gtest/gtest.h>

namespace portico::proxy {
namespace {

using namespace std::chrono_literals;
using Clock = Deadline::Clock;

// Counts its callbacks and runs an optional action inside them, like a session would.
class CountingOwner final : public DeadlineOwner {
 public:
  void on_deadline() override {
    ++calls;
    if (action) action();
  }
  int calls = 0;
  std::function<void()> action;
};

TEST(DeadlineTest, NewDeadlineIsRegisteredAndUnregisteredOnDestruction) {
  DeadlineList list;
  EXPECT_TRUE(list.empty());
  {
    CountingOwner owner;
    Deadline deadline(list, owner);
    EXPECT_FALSE(list.empty());
    EXPECT_FALSE(deadline.expired());
  }
  EXPECT_TRUE(list.empty());
}

TEST(DeadlineTest, ExpireDueExpiresOnlyDueDeadlines) {
  DeadlineList list;
  CountingOwner soon_owner, late_owner, unarmed_owner;
  Deadline soon(list, soon_owner);
  Deadline late(list, late_owner);
  Deadline unarmed(list, unarmed_owner);
  soon.arm(1s);
  late.arm(1h);

  list.expire_due(Clock::now());
  EXPECT_EQ(soon_owner.calls, 0);
  EXPECT_FALSE(soon.expired());

  list.expire_due(Clock::now() + 2s);
  EXPECT_EQ(soon_owner.calls, 1);
  EXPECT_TRUE(soon.expired());
  EXPECT_EQ(late_owner.calls, 0);
  EXPECT_FALSE(late.expired());
  EXPECT_EQ(unarmed_owner.calls, 0);
  EXPECT_FALSE(unarmed.expired());
}

TEST(DeadlineTest, DeadlineDueExactlyNowExpires) {
  DeadlineList list;
  CountingOwner owner;
  Deadline deadline(list, owner);
  deadline.arm(0s);
  list.expire_due(Clock::now());
  EXPECT_EQ(owner.calls, 1);
  EXPECT_TRUE(deadline.expired());
}

TEST(DeadlineTest, ExpiryFiresOnceUntilRearmed) {
  DeadlineList list;
  CountingOwner owner;
  Deadline deadline(list, owner);
  deadline.arm(1s);
  const auto later = Clock::now() + 2s;
  list.expire_due(later);
  list.expire_due(later + 1s);
  EXPECT_EQ(owner.calls, 1);
  EXPECT_TRUE(deadline.expired());
}

TEST(DeadlineTest, RearmingClearsExpired) {
  DeadlineList list;
  CountingOwner owner;
  Deadline deadline(list, owner);
  deadline.arm(0s);
  list.expire_due(Clock::now() + 1s);
  ASSERT_TRUE(deadline.expired());

  deadline.arm(1h);
  EXPECT_FALSE(deadline.expired());
  list.expire_due(Clock::now() + 1s);
  EXPECT_EQ(owner.calls, 1);

  // Re-armed deadlines expire again when their new time comes.
  list.expire_due(Clock::now() + 2h);
  EXPECT_EQ(owner.calls, 2);
  EXPECT_TRUE(deadline.expired());
}

TEST(DeadlineTest, DisarmedDeadlineDoesNotExpire) {
  DeadlineList list;
  CountingOwner owner;
  Deadline deadline(list, owner);
  deadline.arm(1s);
  deadline.disarm();
  list.expire_due(Clock::now() + 24h);
  EXPECT_EQ(owner.calls, 0);
  EXPECT_FALSE(deadline.expired());
}

TEST(DeadlineTest, ExpireAllReachesArmedDisarmedAndNeverArmed) {
  DeadlineList list;
  CountingOwner armed_owner, disarmed_owner, never_owner;
  Deadline armed(list, armed_owner);
  Deadline disarmed(list, disarmed_owner);
  Deadline never(list, never_owner);
  armed.arm(1h);
  disarmed.arm(1s);
  disarmed.disarm();

  list.expire_all();
  EXPECT_EQ(armed_owner.calls, 1);
  EXPECT_EQ(disarmed_owner.calls, 1);
  EXPECT_EQ(never_owner.calls, 1);
  EXPECT_TRUE(armed.expired());
  EXPECT_TRUE(disarmed.expired());
  EXPECT_TRUE(never.expired());
}

// Deadlines link at the head, so a sweep visits them newest first. The deadlines destroyed
// mid-sweep live in std::optional so their storage outlives them: a sweep that kept a
// pointer to a destroyed node would then visit it (calling its owner) or stop early, instead
// of crashing at random.
TEST(DeadlineTest, OwnerDestroyingTheNextDeadlineDuringASweepIsSafe) {
  DeadlineList list;
  CountingOwner last_owner, next_owner, first_owner;
  Deadline last(list, last_owner);
  std::optional<Deadline> next;
  next.emplace(list, next_owner);
  Deadline first_visited(list, first_owner);
  first_owner.action = [&] { next.reset(); };

  list.expire_all();
  EXPECT_EQ(first_owner.calls, 1);
  EXPECT_EQ(next_owner.calls, 0);  // destroyed before its turn: never called
  EXPECT_EQ(last_owner.calls, 1);  // the sweep went on past the removed node
  EXPECT_TRUE(last.expired());
}

TEST(DeadlineTest, OwnerDestroyingItsOwnDeadlineDuringASweepIsSafe) {
  DeadlineList list;
  CountingOwner last_owner, self_owner, first_owner;
  Deadline last(list, last_owner);
  std::optional<Deadline> self;
  self.emplace(list, self_owner);
  Deadline first_visited(list, first_owner);
  self_owner.action = [&] { self.reset(); };

  list.expire_all();
  EXPECT_EQ(first_owner.calls, 1);
  EXPECT_EQ(self_owner.calls, 1);
  EXPECT_EQ(last_owner.calls, 1);
}

TEST(DeadlineTest, OwnerDestroyingSeveralDeadlinesDuringASweepIsSafe) {
  DeadlineList list;
  CountingOwner owners[5];
  std::optional<Deadline> deadlines[5];
  for (int i = 0; i < 5; ++i) deadlines[i].emplace(list, owners[i]);
  // Visiting order is 4, 3, 2, 1, 0. The owner of 3 destroys 2, 1 and itself.
  owners[3].action = [&] {
    deadlines[2].reset();
    deadlines[1].reset();
    deadlines[3].reset();
  };

  list.expire_all();
  EXPECT_EQ(owners[4].calls, 1);
  EXPECT_EQ(owners[3].calls, 1);
  EXPECT_EQ(owners[2].calls, 0);
  EXPECT_EQ(owners[1].calls, 0);
  EXPECT_EQ(owners[0].calls, 1);

  deadlines[4].reset();
  EXPECT_FALSE(list.empty());
  deadlines[0].reset();
  EXPECT_TRUE(list.empty());
}

TEST(DeadlineTest, DestroyingInAnyOrderKeepsTheListConsistent) {
  DeadlineList list;
  CountingOwner owners[3];
  auto a = std::make_unique<Deadline>(list, owners[0]);
  auto b = std::make_unique<Deadline>(list, owners[1]);
  auto c = std::make_unique<Deadline>(list, owners[2]);
  b.reset();  // middle
  list.expire_all();
  EXPECT_EQ(owners[0].calls, 1);
  EXPECT_EQ(owners[1].calls, 0);
  EXPECT_EQ(owners[2].calls, 1);
  c.reset();  // head
  a.reset();  // last one
  EXPECT_TRUE(list.empty());
}

}  // namespace
}  // namespace portico::proxy
