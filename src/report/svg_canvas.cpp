// SvgCanvas: the inline-SVG back end of the charts (plain SVG 1.1 elements, no script, no links),
// plus the text helpers both back ends share.
#include <cstdio>

#include "report/canvas.hpp"

namespace calm::report {
namespace {

// One decimal is finer than a screen pixel needs and keeps 10 000-point scatters small.
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string rgb(Color c) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
  return buf;
}

std::string opacity(const char* attr, Color c) {
  return c.a < 1.0 ? std::string(" ") + attr + "=\"" + std::to_string(c.a).substr(0, 4) + "\""
                   : std::string();
}

size_t glyphs(const std::string& s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

}  // namespace

double text_width(const std::string& s, double size) {
  return 0.56 * size * static_cast<double>(glyphs(s));
}

std::string fit_text(const std::string& s, double size, double width) {
  if (text_width(s, size) <= width) return s;
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char ch = static_cast<unsigned char>(s[i]);
    // Cut only before a UTF-8 lead byte, so no character is split.
    if ((ch & 0xC0) != 0x80 && text_width(out + "\xE2\x80\xA6", size) + 0.56 * size > width) break;
    out.push_back(s[i]);
  }
  return out + "\xE2\x80\xA6";  // U+2026 ellipsis
}

std::string xml_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(ch);
    }
  }
  return out;
}

void SvgCanvas::rect(double x, double y, double w, double h, Color fill) {
  body_ += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" +
           num(h) + "\" fill=\"" + rgb(fill) + "\"" + opacity("fill-opacity", fill) + "/>";
}

void SvgCanvas::frame(double x, double y, double w, double h, Color stroke, double width) {
  body_ += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" +
           num(h) + "\" fill=\"none\" stroke=\"" + rgb(stroke) + "\" stroke-width=\"" + num(width) +
           "\"" + opacity("stroke-opacity", stroke) + "/>";
}

void SvgCanvas::line(double x1, double y1, double x2, double y2, Color stroke, double width) {
  body_ += "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" +
           num(y2) + "\" stroke=\"" + rgb(stroke) + "\" stroke-width=\"" + num(width) + "\"" +
           opacity("stroke-opacity", stroke) + "/>";
}

void SvgCanvas::circle(double cx, double cy, double r, Color fill) {
  body_ += "<circle cx=\"" + num(cx) + "\" cy=\"" + num(cy) + "\" r=\"" + num(r) + "\" fill=\"" +
           rgb(fill) + "\"" + opacity("fill-opacity", fill) + "/>";
}

void SvgCanvas::text(double x, double y, const std::string& s, const TextStyle& st) {
  static const char* anchors[] = {"start", "middle", "end"};
  body_ += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + num(st.size) +
           "\" fill=\"" + rgb(st.color) + "\" text-anchor=\"" +
           anchors[static_cast<int>(st.anchor)] + "\"";
  if (st.bold) body_ += " font-weight=\"bold\"";
  if (st.rotate_deg != 0)
    body_ += " transform=\"rotate(" + num(-st.rotate_deg) + " " + num(x) + " " + num(y) + ")\"";
  // append(), not ">" + ...: GCC 12 at -O3 warns falsely (-Wrestrict) on that expression.
  body_.append(">").append(xml_escape(s)).append("</text>");
}

std::string SvgCanvas::svg(const std::string& label) const {
  // Inline in HTML5 an <svg> needs no namespace declaration (and the page then names no URL).
  return "<svg width=\"" + num(width_) + "\" height=\"" + num(height_) + "\" viewBox=\"0 0 " +
         num(width_) + " " + num(height_) + "\" role=\"img\" aria-label=\"" + xml_escape(label) +
         "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">" + body_ + "</svg>";
}

}  // namespace calm::report
