// Row plumbing over store::Statement: the bind, step, read, reset loop that every SQLite-backed store writes.
//
//   VOUCH_TRY(ForEachRow(*q, [&](const Statement& row) { out.push_back(Column<std::string>(row, 0)); }));
//   VOUCH_ASSIGN_OR_RETURN(auto first, FirstRow(*q, [](const Statement& row) { return row.Int(0); }));
//
// Each helper leaves the statement reset (sqlite3_reset, bindings cleared) however the loop ended, rows run out,
// the callback stopped it, or an error, so that a cached statement (SqliteDb::Prepare) holds no read lock and
// the next user finds it ready.
//
// Typed column readers: Column<T>(row, i) for int64_t, int, uint32_t, double, float, bool, std::string and
// std::optional of any of these (NULL reads as nullopt); Columns<T...>(row) reads columns 0, 1, ... as a tuple.
//
// Thread safety: as Statement (one thread at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "vouch/core/status.h"
#include "vouch/store/sqlite_db.h"

namespace vouch::store {

namespace rows_detail {
template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};
// What FirstRow holds: T for a reader returning T or Result<T>.
template <typename T>
struct RowValue {
  using type = T;
};
template <typename T>
struct RowValue<Result<T>> {
  using type = T;
};
template <typename Fn>
using RowValueOf = typename RowValue<std::invoke_result_t<Fn&, const Statement&>>::type;
}  // namespace rows_detail

template <typename T>
T Column(const Statement& row, int column) {
  if constexpr (rows_detail::IsOptional<T>::value) {
    if (row.IsNull(column)) return std::nullopt;
    return Column<typename T::value_type>(row, column);
  } else if constexpr (std::is_same_v<T, std::string>) {
    return row.Text(column);
  } else if constexpr (std::is_same_v<T, bool>) {
    return row.Int(column) != 0;
  } else if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(row.Double(column));
  } else {
    static_assert(std::is_integral_v<T>, "Column<T>: an integer, floating point, bool, string or optional");
    return static_cast<T>(row.Int(column));
  }
}

// Columns 0 .. sizeof...(T) - 1, each read as its T.
template <typename... T>
std::tuple<T...> Columns(const Statement& row) {
  return [&]<size_t... I>(std::index_sequence<I...>) {
    return std::tuple<T...>(Column<T>(row, static_cast<int>(I))...);
  }
  (std::index_sequence_for<T...>{});
}

// Steps q through its rows, calling fn(const Statement&) for each. fn returns void (every row is read), bool
// (false stops early), Status (an error stops and is returned) or Result<bool> (both). Step errors are
// returned as they come.
template <typename Fn>
Status ForEachRow(Statement& q, Fn&& fn) {
  using R = std::invoke_result_t<Fn&, const Statement&>;
  for (;;) {
    Result<bool> more = q.Step();
    if (!more.ok()) {
      q.Reset();
      return more.status();
    }
    if (!*more) break;
    if constexpr (std::is_void_v<R>) {
      fn(std::as_const(q));
    } else if constexpr (std::is_same_v<R, bool>) {
      if (!fn(std::as_const(q))) break;
    } else if constexpr (std::is_same_v<R, Status>) {
      Status s = fn(std::as_const(q));
      if (!s.ok()) {
        q.Reset();
        return s;
      }
    } else {
      static_assert(std::is_same_v<R, Result<bool>>, "ForEachRow: fn returns void, bool, Status or Result<bool>");
      Result<bool> go_on = fn(std::as_const(q));
      if (!go_on.ok()) {
        q.Reset();
        return go_on.status();
      }
      if (!*go_on) break;
    }
  }
  q.Reset();
  return Status::Ok();
}

// The first row read by read(const Statement&), or nullopt when there is none. read returns a T, or a Result<T>
// where a row can be bad (an unknown enum name, unparsable JSON): its error is returned as it is.
template <typename Fn>
auto FirstRow(Statement& q, Fn&& read) -> Result<std::optional<rows_detail::RowValueOf<Fn>>> {
  using R = std::invoke_result_t<Fn&, const Statement&>;
  Result<bool> found = q.Step();
  if (!found.ok()) {
    q.Reset();
    return found.status();
  }
  std::optional<rows_detail::RowValueOf<Fn>> out;
  if (*found) {
    if constexpr (std::is_same_v<R, rows_detail::RowValueOf<Fn>>) {
      out = read(std::as_const(q));
    } else {
      R value = read(std::as_const(q));
      if (!value.ok()) {
        q.Reset();
        return value.status();
      }
      out = std::move(value).value();
    }
  }
  q.Reset();
  return out;
}

// Column 0 of the first row as T (COUNT, MAX, a lookup by key): nullopt when there is no row or it is NULL.
template <typename T>
Result<std::optional<T>> FirstValue(Statement& q) {
  VOUCH_ASSIGN_OR_RETURN(auto row, FirstRow(q, [](const Statement& r) { return Column<std::optional<T>>(r, 0); }));
  if (!row) return std::optional<T>();
  return *row;
}

}  // namespace vouch::store
