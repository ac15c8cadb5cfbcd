// Defaults of the Synthesizer interface. The api layer adds the method's name to the message.
#include "calm/core/synthesizer.hpp"

#include "calm/core/error.hpp"

namespace calm {

void Synthesizer::save(ArchiveWriter&) const {
  throw NotAvailable("this method cannot save a fitted model");
}

void Synthesizer::load(ArchiveReader&) {
  throw NotAvailable("this method cannot load a fitted model");
}

void Synthesizer::fit_cells(const CellTable&, const FitContext&) {
  throw NotAvailable("this method learns from tables, not from a cells x genes matrix");
}

CellTable Synthesizer::sample_cells(size_t, const SampleContext&) const {
  throw NotAvailable("this method writes tables, not a cells x genes matrix");
}

}  // namespace calm
