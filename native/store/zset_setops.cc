#include "store/zset_setops.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace gearsd::store {

namespace {

void aggregate(double& target, double v, Aggregate agg) {
  switch (agg) {
    case Aggregate::Sum:
      target += v;
      if (std::isnan(target)) target = 0;
      break;
    case Aggregate::Min:
      target = v < target ? v : target;
      break;
    case Aggregate::Max:
      target = v > target ? v : target;
      break;
  }
}

double weighted(double score, double weight) {
  double v = score * weight;
  return std::isnan(v) ? 0 : v;
}

void sortBySize(std::vector<SetOpInput>& inputs) {
  std::stable_sort(inputs.begin(), inputs.end(), [](const SetOpInput& a, const SetOpInput& b) { return a.size() < b.size(); });
}

// Calls fn(member, score) for every member of the smallest input found in all the others,
// until fn returns false.
template <class F>
void interWalk(std::vector<SetOpInput>& inputs, Aggregate agg, F&& fn) {
  sortBySize(inputs);
  if (inputs.empty() || inputs[0].size() == 0) return;
  const ZSetObject* first = inputs[0].zset;
  for (ZCursor c = first->first(); c.valid(); c.next()) {
    double score = weighted(c.score(), inputs[0].weight);
    size_t j = 1;
    for (; j < inputs.size(); j++) {
      double v;
      if (!inputs[j].find(c.member(), v)) break;
      // Not `weighted`: Redis lets a NaN product through here, where MIN and MAX ignore it.
      aggregate(score, v * inputs[j].weight, agg);
    }
    if (j == inputs.size() && !fn(c.member(), score)) return;
  }
}

}  // namespace

bool SetOpInput::find(std::string_view member, double& score) const {
  if (!zset) return false;
  auto s = zset->score(member);
  if (!s) return false;
  score = *s;
  return true;
}

SetOpResult zsetUnion(std::vector<SetOpInput> inputs, Aggregate agg) {
  sortBySize(inputs);
  std::unordered_map<std::string_view, double> acc;
  if (!inputs.empty()) acc.reserve(inputs.back().size());
  for (const SetOpInput& in : inputs) {
    in.forEach([&](std::string_view m, double s) {
      double score = weighted(s, in.weight);
      auto [it, added] = acc.try_emplace(m, score);
      if (!added) aggregate(it->second, score, agg);
    });
  }
  SetOpResult r;
  r.entries.reserve(acc.size());
  for (auto& [m, s] : acc) r.entries.push_back({m, s});
  return r;
}

SetOpResult zsetInter(std::vector<SetOpInput> inputs, Aggregate agg) {
  SetOpResult r;
  interWalk(inputs, agg, [&](std::string_view m, double s) {
    r.entries.push_back({m, s});
    return true;
  });
  return r;
}

size_t zsetInterCard(std::vector<SetOpInput> inputs, size_t limit) {
  size_t n = 0;
  interWalk(inputs, Aggregate::Sum, [&](std::string_view, double) { return ++n != limit; });
  return n;
}

SetOpResult zsetDiff(const std::vector<SetOpInput>& inputs) {
  SetOpResult r;
  if (inputs.empty()) return r;
  inputs[0].forEach([&](std::string_view m, double s) {
    double ignored;
    for (size_t j = 1; j < inputs.size(); j++)
      if (inputs[j].find(m, ignored)) return;
    r.entries.push_back({m, s});
  });
  return r;
}

}  // namespace gearsd::store
