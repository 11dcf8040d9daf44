// Integer sets: the compact small encoding of sets whose members are all integers
// (Redis's "intset" in OBJECT ENCODING).
//
// A sorted array of integers, all stored at the width of the widest one (2, 4 or 8
// bytes, little-endian as the machine is), so membership is a binary search and the set
// of 0..100 costs 202 bytes. Adding a wider value re-encodes the array once. As with
// packed.h, the owner keeps the pointer, count and width in its own header.
#pragma once
#include <cstdint>

namespace gearsd::store::intset {

// The narrowest width (bytes) that holds v.
uint8_t widthFor(int64_t v);

int64_t get(const char* buf, uint8_t width, uint32_t i);

// Binary search: true and the index when v is present, else false and the index where
// it would go.
bool find(const char* buf, uint8_t width, uint32_t count, int64_t v, uint32_t& pos);

// Inserts v (known absent) and returns the possibly moved block; widens it if needed.
char* insert(char* buf, uint8_t& width, uint32_t& count, int64_t v);

// Removes the element at pos and returns the possibly moved block (null when empty).
char* erase(char* buf, uint8_t width, uint32_t& count, uint32_t pos);

}  // namespace gearsd::store::intset
