// A minimal 2-D drawing surface that the charts draw on, with two back ends: inline SVG for the
// HTML reports and cairo for the PNG figures, so one chart routine serves both formats.
// Coordinates are pixels, y downwards; text is positioned by its baseline.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace calm::report {

struct Color {
  uint8_t r = 0, g = 0, b = 0;
  double a = 1.0;
};

enum class Anchor { start, middle, end };

struct TextStyle {
  double size = 12;
  Color color{40, 40, 40};
  Anchor anchor = Anchor::start;
  bool bold = false;
  double rotate_deg = 0;  // around (x, y), counter-clockwise positive
};

class Canvas {
 public:
  virtual ~Canvas() = default;
  virtual void rect(double x, double y, double w, double h, Color fill) = 0;
  virtual void frame(double x, double y, double w, double h, Color stroke, double width) = 0;
  virtual void line(double x1, double y1, double x2, double y2, Color stroke, double width) = 0;
  virtual void circle(double cx, double cy, double r, Color fill) = 0;
  virtual void text(double x, double y, const std::string& s, const TextStyle& style) = 0;
};

// Width of `s` in the sans-serif font at `size`, estimated the same way for both back ends (so
// layouts agree): average glyph 0.56 em, UTF-8 continuation bytes not counted.
double text_width(const std::string& s, double size);
// `s` cut with an ellipsis to fit `width` at `size`.
std::string fit_text(const std::string& s, double size, double width);

// SVG back end: collects elements; svg() wraps them in an <svg> root of the given size.
class SvgCanvas : public Canvas {
 public:
  SvgCanvas(double width, double height) : width_(width), height_(height) {}
  void rect(double x, double y, double w, double h, Color fill) override;
  void frame(double x, double y, double w, double h, Color stroke, double width) override;
  void line(double x1, double y1, double x2, double y2, Color stroke, double width) override;
  void circle(double cx, double cy, double r, Color fill) override;
  void text(double x, double y, const std::string& s, const TextStyle& style) override;
  // `label` becomes the accessible name (role="img" + aria-label).
  std::string svg(const std::string& label) const;

 private:
  double width_, height_;
  std::string body_;
};

// Cairo back end: an ARGB image surface with a white background; png() encodes it.
class PngCanvas : public Canvas {
 public:
  PngCanvas(int width, int height);
  ~PngCanvas() override;
  PngCanvas(const PngCanvas&) = delete;
  PngCanvas& operator=(const PngCanvas&) = delete;
  void rect(double x, double y, double w, double h, Color fill) override;
  void frame(double x, double y, double w, double h, Color stroke, double width) override;
  void line(double x1, double y1, double x2, double y2, Color stroke, double width) override;
  void circle(double cx, double cy, double r, Color fill) override;
  void text(double x, double y, const std::string& s, const TextStyle& style) override;
  std::string png() const;  // the encoded PNG file

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Escapes & < > " ' for XML/HTML text and attributes.
std::string xml_escape(const std::string& s);

}  // namespace calm::report
