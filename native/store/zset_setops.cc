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
// until fn returns false. The member view is valid during the call only.
template <class F>
void interWalk(std::vector<SetOpInput>& inputs, Aggregate agg, F&& fn) {
  sortBySize(inputs);
  if (inputs.empty() || inputs[0].size() == 0) return;
  inputs[0].forEach([&](std::string_view m, double s) {
    double score = weighted(s, inputs[0].weight);
    for (size_t j = 1; j < inputs.size(); j++) {
      double v;
      if (!inputs[j].find(m, v)) return true;
      // Not `weighted`: Redis lets a NaN product through here, where MIN and MAX ignore it.
      aggregate(score, v * inputs[j].weight, agg);
    }
    return fn(m, score);
  });
}

// A view of `m` that lives as long as the result: the input's own bytes when they stay put.
std::string_view keep(SetOpResult& r, const SetOpInput& in, std::string_view m) {
  return in.transientMembers() ? std::string_view(r.owned.emplace_back(m)) : m;
}

}  // namespace

bool SetOpInput::assign(const KeyEntry* e) {
  if (e->type == ValueType::ZSet) {
    zset = e->as<ZSetObject>();
    return true;
  }
  if (e->type == ValueType::Set) {
    set = e->as<SetObject>();
    return true;
  }
  return false;
}

size_t SetOpInput::size() const {
  if (zset) return zset->size();
  if (set) return set->size();
  return 0;
}

bool SetOpInput::find(std::string_view member, double& score) const {
  if (zset) {
    auto s = zset->score(member);
    if (!s) return false;
    score = *s;
    return true;
  }
  if (set && set->contains(member)) {
    score = 1.0;
    return true;
  }
  return false;
}

bool SetOpInput::transientMembers() const {
  return set && set->isIntset();
}

SetOpResult zsetUnion(std::vector<SetOpInput> inputs, Aggregate agg) {
  sortBySize(inputs);
  SetOpResult r;
  std::unordered_map<std::string_view, double> acc;
  if (!inputs.empty()) acc.reserve(inputs.back().size());
  for (const SetOpInput& in : inputs) {
    in.forEach([&](std::string_view m, double s) {
      double score = weighted(s, in.weight);
      auto it = acc.find(m);
      if (it == acc.end()) acc.emplace(keep(r, in, m), score);
      else aggregate(it->second, score, agg);
      return true;
    });
  }
  r.entries.reserve(acc.size());
  for (auto& [m, s] : acc) r.entries.push_back({m, s});
  return r;
}

SetOpResult zsetInter(std::vector<SetOpInput> inputs, Aggregate agg) {
  SetOpResult r;
  interWalk(inputs, agg, [&](std::string_view m, double s) {
    r.entries.push_back({keep(r, inputs[0], m), s});
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
      if (inputs[j].find(m, ignored)) return true;
    r.entries.push_back({keep(r, inputs[0], m), s});
    return true;
  });
  return r;
}

}  // namespace gearsd::store
