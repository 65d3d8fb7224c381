#include "proxy/net/flat_buffer.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace portico::proxy {
namespace {

// Copies `text` into the writable area and commits it, as a socket read would.
void fill(FlatBuffer& buffer, std::string_view text) {
  const boost::asio::mutable_buffer room = buffer.writable();
  ASSERT_GE(room.size(), text.size());
  std::memcpy(room.data(), text.data(), text.size());
  buffer.commit(text.size());
}

TEST(FlatBufferTest, StartsEmptyWithTheWholeCapacityWritable) {
  FlatBuffer buffer(16);
  EXPECT_TRUE(buffer.empty());
  EXPECT_EQ(buffer.size(), 0u);
  EXPECT_EQ(buffer.capacity(), 16u);
  EXPECT_FALSE(buffer.full());
  EXPECT_EQ(buffer.writable().size(), 16u);
}

TEST(FlatBufferTest, CommitMakesBytesReadable) {
  FlatBuffer buffer(16);
  fill(buffer, "hello");
  EXPECT_EQ(buffer.readable(), "hello");
  EXPECT_EQ(buffer.size(), 5u);
  EXPECT_FALSE(buffer.empty());
  EXPECT_EQ(buffer.writable().size(), 11u);
  fill(buffer, " world");
  EXPECT_EQ(buffer.readable(), "hello world");
}

TEST(FlatBufferTest, ConsumeDropsFromTheFront) {
  FlatBuffer buffer(16);
  fill(buffer, "GET / HTTP/1.1");
  buffer.consume(4);
  EXPECT_EQ(buffer.readable(), "/ HTTP/1.1");
  EXPECT_EQ(buffer.size(), 10u);
  // Consumed space at the front is not writable until compaction.
  EXPECT_EQ(buffer.writable().size(), 2u);
}

TEST(FlatBufferTest, ConsumingEverythingRewindsToTheStart) {
  FlatBuffer buffer(8);
  fill(buffer, "abcdef");
  buffer.consume(6);
  EXPECT_TRUE(buffer.empty());
  EXPECT_EQ(buffer.writable().size(), 8u);
  fill(buffer, "12345678");
  EXPECT_EQ(buffer.readable(), "12345678");
}

TEST(FlatBufferTest, CompactMovesUnreadBytesToTheFront) {
  FlatBuffer buffer(10);
  fill(buffer, "0123456789");
  buffer.consume(7);
  buffer.compact();
  EXPECT_EQ(buffer.readable(), "789");
  EXPECT_EQ(buffer.writable().size(), 7u);
  fill(buffer, "abc");
  EXPECT_EQ(buffer.readable(), "789abc");
}

TEST(FlatBufferTest, WritableCompactsWhenTheTailIsFull) {
  FlatBuffer buffer(8);
  fill(buffer, "abcdefgh");
  buffer.consume(5);
  const boost::asio::mutable_buffer room = buffer.writable();
  EXPECT_EQ(room.size(), 5u);
  EXPECT_EQ(buffer.readable(), "fgh");
  // The room starts right after the moved bytes.
  EXPECT_EQ(static_cast<const char*>(room.data()), buffer.readable().data() + 3);
  fill(buffer, "12345");
  EXPECT_EQ(buffer.readable(), "fgh12345");
  EXPECT_TRUE(buffer.full());
}

TEST(FlatBufferTest, WritableDoesNotMoveBytesWhileTheTailHasRoom) {
  FlatBuffer buffer(8);
  fill(buffer, "abcdef");
  buffer.consume(2);
  const char* before = buffer.readable().data();
  EXPECT_EQ(buffer.writable().size(), 2u);
  EXPECT_EQ(buffer.readable().data(), before);
  EXPECT_EQ(buffer.readable(), "cdef");
}

TEST(FlatBufferTest, FullOnlyWhenEveryByteIsUnread) {
  FlatBuffer buffer(4);
  fill(buffer, "abcd");
  EXPECT_TRUE(buffer.full());
  EXPECT_EQ(buffer.writable().size(), 0u);
  buffer.consume(1);
  // The tail is full but compacting frees a byte, so the buffer is not full.
  EXPECT_FALSE(buffer.full());
  EXPECT_EQ(buffer.writable().size(), 1u);
}

TEST(FlatBufferTest, CapacityBoundsWhatItHolds) {
  FlatBuffer buffer(32);
  std::size_t total = 0;
  while (!buffer.full()) {
    const std::size_t room = buffer.writable().size();
    ASSERT_GT(room, 0u);
    fill(buffer, std::string(std::min<std::size_t>(room, 5), 'x'));
    total += std::min<std::size_t>(room, 5);
  }
  EXPECT_EQ(total, buffer.capacity());
  EXPECT_EQ(buffer.size(), buffer.capacity());
  EXPECT_EQ(buffer.writable().size(), 0u);
}

TEST(FlatBufferTest, ClearDropsEverything) {
  FlatBuffer buffer(8);
  fill(buffer, "abc");
  buffer.consume(1);
  buffer.clear();
  EXPECT_TRUE(buffer.empty());
  EXPECT_EQ(buffer.writable().size(), 8u);
}

}  // namespace
}  // namespace portico::proxy
