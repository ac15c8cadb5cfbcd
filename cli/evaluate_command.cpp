// `calm evaluate`: SDMetrics-equivalent quality scores of a synthetic CSV against the real one
// (docs/metrics.md), with --holdout the membership inference attack, with --sequence-key the
// sequence metrics (docs/sequences.md), on cells (an .h5ad real file, or --single-cell) the
// single-cell metrics (docs/single_cell.md); prints a table and, with
// -o, writes every report (the same files as generate(): sdv_quality_report.json, the HTML
// reports and the PNG figures).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>
#include <unordered_map>

#include "calm/calm.hpp"
#include "calm/eval/membership.hpp"
#include "calm/eval/quality.hpp"
#include "calm/eval/sequence_metrics.hpp"
#include "calm/eval/single_cell_metrics.hpp"
#include "calm/io/anndata.hpp"
#include "calm/report/reports.hpp"
#include "cli/commands.hpp"

namespace calm::cli {
namespace {

struct EvaluateArgs {
  std::string real, synthetic, output_dir, target, holdout, sequence_key, time_col;
  bool single_cell = false;
  std::vector<std::string> types;
  bool minimal = false, json = false, adversarial = false;
  int threads = 0;
  std::string log_level = "warning";
};

std::string score_text(const std::optional<double>& s) {
  if (!s) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", *s);
  return buf;
}

bool is_h5ad(const std::string& path) {
  return std::filesystem::path(path).extension() == ".h5ad";
}

// A CSV, or an AnnData file as its table view (genes, then obs); `genes` gets an AnnData file's
// var_names.
Table read_input(const std::string& path, const CsvReadOptions& ro,
                 std::vector<std::string>* genes) {
  if (!is_h5ad(path)) return read_csv(path, ro);
  const AnnData cells = read_h5ad(path);
  if (genes) *genes = cells.var_names;
  return anndata_table(cells);
}

// The synthetic cells' matrix over the real genes, in the real order (by var name). InvalidArgument
// naming a real gene the synthetic file lacks.
CsrMatrix genes_in_order(const CellTable& synthetic, const std::vector<std::string>& genes) {
  std::unordered_map<std::string, int32_t> column;
  for (size_t g = 0; g < synthetic.genes.size(); ++g)
    column.emplace(synthetic.genes[g], static_cast<int32_t>(g));
  std::vector<int32_t> to(synthetic.genes.size(), -1);
  for (size_t g = 0; g < genes.size(); ++g) {
    const auto it = column.find(genes[g]);
    if (it == column.end())
      throw InvalidArgument("the synthetic cells lack the gene '" + genes[g] + "'");
    to[static_cast<size_t>(it->second)] = static_cast<int32_t>(g);
  }
  const CsrView x = synthetic.matrix();
  CsrMatrix out;
  out.rows = x.rows;
  out.cols = genes.size();
  out.indptr.assign(1, 0);
  for (size_t i = 0; i < out.rows; ++i) {
    for (auto k = static_cast<size_t>(x.indptr[i]); k < static_cast<size_t>(x.indptr[i + 1]); ++k)
      if (const int32_t g = to[static_cast<size_t>(x.indices[k])]; g >= 0) {
        out.indices.push_back(g);
        out.data.push_back(x.data[k]);
      }
    out.indptr.push_back(static_cast<int64_t>(out.data.size()));
  }
  return out;
}

std::vector<std::string> cell_types(const Table& obs, const std::string& target) {
  std::vector<std::string> types;
  if (!target.empty() && obs.has(target))
    for (size_t i = 0; i < obs.num_rows(); ++i) types.push_back(obs.column(target).text(i));
  return types;
}

void run_evaluate(const EvaluateArgs& a) {
  CsvReadOptions ro;
  ro.threads = a.threads;
  std::vector<std::string> genes;
  Table real, synthetic;
  std::optional<SingleCellReport> single_cell;
  // Two AnnData files: the genes are scored on their sparse matrices, never as a dense table.
  const bool matrices = is_h5ad(a.real) && is_h5ad(a.synthetic);
  CellTable real_cells;
  CsrMatrix synthetic_genes;  // over the real genes, in their order
  if (matrices) {
    real_cells = anndata_cells(read_h5ad(a.real));
    const CellTable synthetic_cells = anndata_cells(read_h5ad(a.synthetic));
    if (!a.target.empty() && !real_cells.obs.has(a.target))
      throw InvalidArgument("--target '" + a.target +
                            "' (the cell types) is not an obs column; obs columns are: " +
                            join_names(real_cells.obs.column_names()));
    std::vector<std::string> real_types = cell_types(real_cells.obs, a.target),
                             synthetic_types = cell_types(synthetic_cells.obs, a.target);
    if (synthetic_types.empty()) real_types.clear();
    SingleCellMetricsOptions sc;
    sc.threads = a.threads;
    synthetic_genes = genes_in_order(synthetic_cells, real_cells.genes);
    single_cell =
        evaluate_single_cell(real_cells.matrix(), synthetic_genes, real_types, synthetic_types, sc);
    real = real_cells.obs;
    synthetic = synthetic_cells.obs;
  } else {
    real = read_input(a.real, ro, &genes);
    synthetic = read_input(a.synthetic, ro, nullptr);
  }
  const bool cells = !matrices && (a.single_cell || is_h5ad(a.real));
  if (cells) {
    if (!a.target.empty() && !real.has(a.target))
      throw InvalidArgument("--target '" + a.target +
                            "' (the cell types) is not a column; "
                            "columns are: " +
                            join_names(real.column_names()));
    if (genes.empty()) genes = detect_gene_columns(real, {a.target});
    if (genes.empty())
      throw InvalidArgument(
          "no gene columns: --single-cell reads the numeric columns with no "
          "negative value as genes");
    for (const auto& g : genes)
      if (!synthetic.has(g)) throw InvalidArgument("the synthetic cells lack the gene '" + g + "'");
    std::vector<std::string> real_types, synthetic_types;
    if (!a.target.empty() && synthetic.has(a.target))
      for (size_t i = 0; i < real.num_rows(); ++i)
        real_types.push_back(real.column(a.target).text(i));
    if (!real_types.empty())
      for (size_t i = 0; i < synthetic.num_rows(); ++i)
        synthetic_types.push_back(synthetic.column(a.target).text(i));
    SingleCellMetricsOptions sc;
    sc.threads = a.threads;
    single_cell = evaluate_single_cell(gene_matrix(real, genes), gene_matrix(synthetic, genes),
                                       real_types, synthetic_types, sc);
  }
  // On cells, the row-level scores read the metadata (obs) columns; the genes are scored above.
  const std::vector<std::string> gene_columns = cells ? genes : std::vector<std::string>{};
  const Table full_real = real, full_synthetic = synthetic;
  if (cells) {
    std::vector<std::string> obs, synthetic_obs;
    for (const auto& n : real.column_names())
      if (std::find(genes.begin(), genes.end(), n) == genes.end()) obs.push_back(n);
    for (const auto& n : obs)
      if (synthetic.has(n)) synthetic_obs.push_back(n);
    real = real.select(obs);
    synthetic = synthetic.select(synthetic_obs);
  }
  SchemaOptions so;
  for (const auto& kv : a.types) {
    auto eq = kv.find('=');
    if (eq == std::string::npos)
      throw InvalidArgument("--type expects COLUMN=TYPE, got '" + kv + "'");
    so.overrides[kv.substr(0, eq)] = semantic_type_from_string(kv.substr(eq + 1));
  }
  if (!a.time_col.empty() && a.sequence_key.empty())
    throw InvalidArgument("--time-col orders the rows of an entity: it needs --sequence-key");
  // The entity key of sequences is an id: left out of the row scores (unless typed with --type).
  if (!a.sequence_key.empty() && real.has(a.sequence_key))
    so.overrides.try_emplace(a.sequence_key, SemanticType::id);
  Schema schema = infer_schema(real, so);
  QualityOptions qo;
  qo.pair_trends = !a.minimal;
  qo.threads = a.threads;
  QualityReport report = evaluate_quality(real, synthetic, schema, qo);
  Json json = to_json(report);
  if (single_cell) json["single_cell"] = to_json(*single_cell);
  if (!a.target.empty() && !real.has(a.target))
    throw InvalidArgument("--target '" + a.target +
                          "' is not a column; columns are: " + join_names(real.column_names()));
  std::optional<SequenceReport> sequences;
  if (!a.sequence_key.empty()) {
    SequenceMetricsOptions sm;
    sm.sequence_key = a.sequence_key;
    if (!a.time_col.empty()) sm.time_col = a.time_col;
    sm.row_quality = false;  // the report above
    sm.threads = a.threads;
    sequences = evaluate_sequences(real, synthetic, schema, sm);
    sequences->row_quality = report.overall;
    json["sequence"] = to_json(*sequences);
  }
  std::optional<Table> holdout;
  std::optional<MembershipReport> membership;
  if (!a.holdout.empty()) {
    holdout = read_csv(a.holdout, ro);
    MembershipOptions mo;
    mo.threads = a.threads;
    membership = evaluate_membership(real, *holdout, synthetic, schema, mo);
    json["membership_inference"] = to_json(*membership);
  }
  if (!a.output_dir.empty()) {
    std::filesystem::create_directories(a.output_dir);
    Logger log;
    log.set_level(log_level_from_string(a.log_level));
    const int threads = a.threads > 0
                            ? a.threads
                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::optional<std::string> target;
    if (!a.target.empty()) target = a.target;
    Schema full_schema = schema;
    if (cells)
      for (const auto& g : genes) full_schema.columns.push_back({g, SemanticType::numerical});
    ReportRequest req{full_real,  full_synthetic, full_schema, target,        a.output_dir,
                      "evaluate", "(external)",   a.minimal,   a.adversarial, threads,
                      0};
    if (holdout) req.holdout = &*holdout;
    req.quality = &report;
    if (!a.sequence_key.empty()) req.sequence_key = a.sequence_key;
    if (!a.time_col.empty()) req.time_col = a.time_col;
    req.gene_columns = gene_columns;
    if (matrices) {
      req.real_genes = real_cells.matrix();
      req.synthetic_genes = CsrView(synthetic_genes);
    }
    for (const auto& f : write_reports(req, log)) std::cerr << "wrote " << f << "\n";
  }
  if (a.json) {
    std::cout << json.dump(2) << "\n";
    return;
  }
  std::printf("Overall quality        %s\n", score_text(report.overall).c_str());
  std::printf("  Column Shapes        %s\n", score_text(report.column_shapes_score).c_str());
  std::printf("  Column Pair Trends   %s\n", score_text(report.column_pair_trends_score).c_str());
  if (report.diagnostic_computed)
    std::printf("Diagnostic             %s (validity %s, structure %s)\n",
                score_text(report.diagnostic.overall).c_str(),
                score_text(report.diagnostic.data_validity).c_str(),
                score_text(report.diagnostic.data_structure).c_str());
  if (sequences) {
    const SequenceReport& q = *sequences;
    std::printf("Sequences              %zu real, %zu synthetic entities\n", q.real_entities,
                q.synthetic_entities);
    std::printf("  Length similarity    %s\n", score_text(q.length_similarity).c_str());
    std::printf("  Autocorrelation      %s\n", score_text(q.autocorrelation_similarity).c_str());
    std::printf("  Cross-correlation    %s\n", score_text(q.cross_correlation_similarity).c_str());
    std::printf("  Discriminator AUC    %s (score |acc - 0.5| %s)\n",
                score_text(q.discriminative_auc).c_str(),
                score_text(q.discriminative_score).c_str());
    std::printf("  Predictive MAE       %s trained on synthetic, %s on real (similarity %s)\n",
                score_text(q.predictive_mae_synthetic).c_str(),
                score_text(q.predictive_mae_real).c_str(),
                score_text(q.predictive_similarity).c_str());
    std::printf("  Consistency          %s\n", score_text(q.consistency).c_str());
  }
  if (single_cell) {
    const SingleCellReport& q = *single_cell;
    std::printf("Single-cell            %zu real, %zu synthetic cells, %zu genes\n", q.real_cells,
                q.synthetic_cells, q.genes);
    std::printf("  Gene means r         %s (variances %s, dropout %s)\n",
                score_text(q.mean_correlation).c_str(), score_text(q.variance_correlation).c_str(),
                score_text(q.dropout_correlation).c_str());
    std::printf("  Sparsity             %s real, %s synthetic\n",
                score_text(q.real_sparsity).c_str(), score_text(q.synthetic_sparsity).c_str());
    std::printf("  Mean-variance trend  %s (log10 units apart)\n",
                score_text(q.mean_variance_trend_difference).c_str());
    std::printf("  Real-vs-synth AUC    %s (top principal components)\n",
                score_text(q.pca_auc).c_str());
    if (q.tstr_accuracy)
      std::printf("  Cell-type accuracy   %s trained on synthetic, %s on real\n",
                  score_text(q.tstr_accuracy).c_str(), score_text(q.trtr_accuracy).c_str());
  }
  if (membership)
    std::printf("Membership inference   AUC %.4f (advantage %.4f, TPR at 10%% FPR %.4f): %s\n",
                membership->auc, membership->advantage, membership->tpr_at_fpr_10pct,
                membership->interpretation.c_str());
  std::printf("\n%-28s %-14s %s\n", "column", "metric", "score");
  for (const auto& c : report.column_shapes)
    std::printf("%-28s %-14s %s\n", c.column.c_str(), c.metric.c_str(),
                score_text(c.score).c_str());
}

}  // namespace

void add_evaluate_command(CLI::App& app) {
  auto args = std::make_shared<EvaluateArgs>();
  CLI::App* cmd = app.add_subcommand("evaluate", "Score a synthetic CSV against the real one");
  cmd->add_option("real", args->real, "Real data (CSV or .h5ad)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("synthetic", args->synthetic, "Synthetic data (CSV or .h5ad)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output-dir", args->output_dir, "Write the reports into this folder");
  cmd->add_option("--type", args->types, "Column type override COLUMN=TYPE");
  cmd->add_option("--target", args->target,
                  "Target column: adds ML efficacy (TSTR vs TRTR) to the reports");
  cmd->add_option("--holdout", args->holdout,
                  "Real rows the synthesizer never saw (CSV; the real CSV is then the rows it "
                  "trained on): adds the membership inference attack, and with --target ML "
                  "efficacy tests TRTR and TSTR on them, TRTR training on every real row")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--adversarial-validation", args->adversarial,
                "Add a real-vs-synthetic classifier to the reports");
  cmd->add_option("--sequence-key", args->sequence_key,
                  "Entity column of sequence data: adds the sequence metrics (lengths, "
                  "autocorrelation, cross-correlation, discriminator AUC, predictive score, "
                  "context-sequence consistency; docs/sequences.md)");
  cmd->add_option("--time-col", args->time_col,
                  "Column ordering the rows of an entity (with --sequence-key)");
  cmd->add_flag("--single-cell", args->single_cell,
                "Cells x genes data: adds the single-cell metrics (per-gene mean, variance and "
                "dropout agreement, sparsity, mean-variance trend, a real-vs-synthetic classifier "
                "on principal components, with --target the cell-type accuracy; "
                "docs/single_cell.md). On by default for .h5ad input; a CSV's genes are its "
                "numeric columns with no negative value");
  cmd->add_option("--threads", args->threads, "Threads (0 = all cores)");
  cmd->add_flag("--minimal", args->minimal, "Column Shapes only (no pair trends)");
  cmd->add_flag("--json", args->json, "Print the full report as JSON");
  cmd->add_option("--log-level", args->log_level,
                  "Log of the report writing: debug (the time of each report part), info, "
                  "warning (default), error, quiet");
  cmd->callback([args] { run_evaluate(*args); });
}

}  // namespace calm::cli
