#include "vouch/store/rows.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vouch::store {
namespace {

class RowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = SqliteDb::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, flag INTEGER);"
                          "INSERT INTO t VALUES (1, 'ann', 0.5, 1), (2, NULL, NULL, 0), (3, 'cy', 2.25, NULL);")
                    .ok());
  }
  Statement& Prepare(std::string_view sql) {
    auto q = db_->Prepare(sql);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    return **q;
  }
  std::unique_ptr<SqliteDb> db_;
};

TEST_F(RowsTest, ColumnsReadTypedValuesAndNullAsNullopt) {
  Statement& q = Prepare("SELECT id, name, score, flag FROM t ORDER BY id");
  std::vector<std::tuple<int64_t, std::optional<std::string>, std::optional<double>, std::optional<bool>>> rows;
  ASSERT_TRUE(ForEachRow(q, [&](const Statement& row) {
                rows.push_back(
                    Columns<int64_t, std::optional<std::string>, std::optional<double>, std::optional<bool>>(row));
              }).ok());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], std::make_tuple(int64_t{1}, std::optional<std::string>("ann"), std::optional<double>(0.5),
                                     std::optional<bool>(true)));
  EXPECT_EQ(std::get<1>(rows[1]), std::nullopt);
  EXPECT_EQ(std::get<2>(rows[1]), std::nullopt);
  EXPECT_EQ(std::get<3>(rows[1]), std::optional<bool>(false));
  EXPECT_EQ(std::get<3>(rows[2]), std::nullopt);
  Statement& one = Prepare("SELECT score, id FROM t WHERE id = 3");
  ASSERT_TRUE(ForEachRow(one, [](const Statement& row) {
                EXPECT_FLOAT_EQ(Column<float>(row, 0), 2.25f);
                EXPECT_EQ(Column<uint32_t>(row, 1), 3u);
                EXPECT_EQ(Column<std::string>(row, 1), "3");
              }).ok());
}

TEST_F(RowsTest, ForEachRowStopsWhereTheCallbackSays) {
  Statement& q = Prepare("SELECT id FROM t ORDER BY id");
  std::vector<int64_t> seen;
  ASSERT_TRUE(ForEachRow(q, [&](const Statement& row) {
                seen.push_back(row.Int(0));
                return seen.size() < 2;
              }).ok());
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2}));

  // A Status ends the loop and comes back as it is.
  seen.clear();
  Status s = ForEachRow(q, [&](const Statement& row) {
    seen.push_back(row.Int(0));
    return row.Int(0) == 2 ? Status::Corruption("row 2") : Status::Ok();
  });
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2}));

  // Result<bool>: stop or fail.
  seen.clear();
  ASSERT_TRUE(ForEachRow(q, [&](const Statement& row) -> Result<bool> {
                seen.push_back(row.Int(0));
                return row.Int(0) < 3;
              }).ok());
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 3}));
  s = ForEachRow(q, [&](const Statement&) -> Result<bool> { return Status::InvalidArgument("no"); });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
}

TEST_F(RowsTest, StatementIsResetHoweverTheLoopEnds) {
  // The same statement runs again from its first row after a stop, an error or the end: it was reset (and a
  // reset statement holds no read lock, so a writer can go on).
  Statement& q = Prepare("SELECT id FROM t ORDER BY id");
  ASSERT_TRUE(ForEachRow(q, [](const Statement&) { return false; }).ok());
  ASSERT_TRUE(db_->Exec("INSERT INTO t (id) VALUES (4)").ok());
  int64_t n = 0;
  ASSERT_TRUE(ForEachRow(q, [&](const Statement&) { ++n; }).ok());
  EXPECT_EQ(n, 4);
  n = 0;
  ASSERT_TRUE(ForEachRow(q, [&](const Statement&) { ++n; }).ok());
  EXPECT_EQ(n, 4);
}

TEST_F(RowsTest, FirstRowAndFirstValue) {
  Statement& q = Prepare("SELECT name FROM t WHERE id = ?1");
  q.Bind(1, 1);
  auto name = FirstRow(q, [](const Statement& row) { return row.Text(0); });
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(*name, std::optional<std::string>("ann"));
  q.Bind(1, 99);
  name = FirstRow(q, [](const Statement& row) { return row.Text(0); });
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(*name, std::nullopt);

  auto count = FirstValue<int64_t>(Prepare("SELECT COUNT(*) FROM t"));
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, std::optional<int64_t>(3));
  auto none = FirstValue<double>(Prepare("SELECT MAX(score) FROM t WHERE id > 10"));  // one row, NULL
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, std::nullopt);
}

TEST_F(RowsTest, FirstRowWithAReaderThatCanFail) {
  // A reader returning Result<T>: FirstRow holds the T, or returns the reader's error, and resets either way.
  auto read = [](const Statement& row) -> Result<std::string> {
    if (row.IsNull(0)) return Status::Corruption(fmt::format("row {} has no name", row.Int(1)));
    return row.Text(0);
  };
  Statement& q = Prepare("SELECT name, id FROM t WHERE id = ?1");
  q.Bind(1, 1);
  Result<std::optional<std::string>> name = FirstRow(q, read);
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(*name, std::optional<std::string>("ann"));
  q.Bind(1, 2);
  name = FirstRow(q, read);
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(name.status().message(), "row 2 has no name");
  q.Bind(1, 99);
  name = FirstRow(q, read);
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(*name, std::nullopt);
  // After the failed read the statement was reset: it binds afresh and reads its row again.
  q.Bind(1, 2);
  ASSERT_FALSE(FirstRow(q, read).ok());
  q.Bind(1, 3);
  name = FirstRow(q, read);
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(*name, std::optional<std::string>("cy"));
}

TEST_F(RowsTest, StepErrorsAreReturned) {
  // A constraint violation surfaces at step time.
  Statement& insert = Prepare("INSERT INTO t (id) VALUES (1)");
  Status s = ForEachRow(insert, [](const Statement&) {});
  EXPECT_FALSE(s.ok());
  auto first = FirstRow(insert, [](const Statement& row) { return row.Int(0); });
  EXPECT_FALSE(first.ok());
}

}  // namespace
}  // namespace vouch::store
