// Registration of the oversampling family: `smote` and `adasyn`.
#include "models/families.hpp"
#include "models/oversampling/oversampler.hpp"

namespace calm {

void register_oversampling_methods(Registry& r) {
  MethodInfo smote;
  smote.name = "smote";
  smote.family = "oversampling";
  smote.summary =
      "SMOTE / SMOTE-NC: n_samples rows, classes balanced (or as requested); each class keeps its "
      "real rows up to its count and the shortfall is interpolated between a real row and one of "
      "its k nearest same-class neighbours";
  smote.reference =
      "Chawla, Bowyer, Hall & Kegelmeyer (2002), SMOTE: Synthetic Minority Over-sampling "
      "Technique, JAIR 16";
  smote.needs_target = true;
  smote.params = OversamplingSynthesizer::param_spec(OversamplingKind::smote);
  smote.create = [] { return std::make_unique<OversamplingSynthesizer>(OversamplingKind::smote); };
  r.add(std::move(smote));

  MethodInfo adasyn;
  adasyn.name = "adasyn";
  adasyn.family = "oversampling";
  adasyn.summary =
      "ADASYN: like smote (real rows kept, shortfall synthesised), with synthetic points seeded "
      "more often from rows surrounded by other classes; n_samples rows, classes balanced (or as "
      "requested)";
  adasyn.reference =
      "He, Bai, Garcia & Li (2008), ADASYN: Adaptive Synthetic Sampling Approach for Imbalanced "
      "Learning, IJCNN";
  adasyn.needs_target = true;
  adasyn.params = OversamplingSynthesizer::param_spec(OversamplingKind::adasyn);
  adasyn.create = [] {
    return std::make_unique<OversamplingSynthesizer>(OversamplingKind::adasyn);
  };
  r.add(std::move(adasyn));
}

}  // namespace calm
