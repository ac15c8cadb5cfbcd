// A small table of every storage type for the fuzz targets: the columns the configs and formulas
// name (penguins' columns plus a date, a flag and a text id).
#pragma once

#include <string>

#include "calm/io/csv.hpp"

namespace calm::fuzz {

inline const Table& small_table() {
  static const Table t = [] {
    std::string csv =
        "species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year,"
        "when,flag,code\n";
    const char* species[] = {"Adelie", "Gentoo", "Chinstrap"};
    const char* islands[] = {"Torgersen", "Biscoe", "Dream"};
    for (int i = 0; i < 24; ++i) {
      csv += std::string(species[i % 3]) + "," + islands[(i / 3) % 3] + "," +
             std::to_string(35 + i % 17) + "." + std::to_string(i % 10) + "," +
             std::to_string(14 + i % 6) + ".5," + std::to_string(180 + i * 2) + "," +
             std::to_string(3000 + i * 97) + "," + (i % 2 ? "male" : "female") + "," +
             std::to_string(2007 + i % 3) + ",2020-01-" + std::to_string(10 + i) + "," +
             (i % 3 ? "true" : "false") + ",id" + std::to_string(i) + "\n";
    }
    CsvReadOptions o;
    o.threads = 1;
    return read_csv_string(csv, o);
  }();
  return t;
}

}  // namespace calm::fuzz
