// PngCanvas: the cairo back end of the charts (image surface, toy text API with the system's
// sans-serif font through fontconfig), encoded to PNG in memory for an atomic write.
#include <cairo.h>

#include <cmath>

#include "calm/core/error.hpp"
#include "report/canvas.hpp"

namespace calm::report {

struct PngCanvas::Impl {
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  void source(Color c) const {
    cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, c.a);
  }
};

PngCanvas::PngCanvas(int width, int height) : impl_(std::make_unique<Impl>()) {
  impl_->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
  if (cairo_surface_status(impl_->surface) != CAIRO_STATUS_SUCCESS)
    throw InternalError("cairo cannot create a " + std::to_string(width) + "x" +
                        std::to_string(height) + " image");
  impl_->cr = cairo_create(impl_->surface);
  cairo_set_source_rgb(impl_->cr, 1, 1, 1);
  cairo_paint(impl_->cr);
  cairo_select_font_face(impl_->cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         CAIRO_FONT_WEIGHT_NORMAL);
}

PngCanvas::~PngCanvas() {
  cairo_destroy(impl_->cr);
  cairo_surface_destroy(impl_->surface);
}

void PngCanvas::rect(double x, double y, double w, double h, Color fill) {
  impl_->source(fill);
  cairo_rectangle(impl_->cr, x, y, w, h);
  cairo_fill(impl_->cr);
}

void PngCanvas::frame(double x, double y, double w, double h, Color stroke, double width) {
  impl_->source(stroke);
  cairo_set_line_width(impl_->cr, width);
  cairo_rectangle(impl_->cr, x, y, w, h);
  cairo_stroke(impl_->cr);
}

void PngCanvas::line(double x1, double y1, double x2, double y2, Color stroke, double width) {
  impl_->source(stroke);
  cairo_set_line_width(impl_->cr, width);
  cairo_move_to(impl_->cr, x1, y1);
  cairo_line_to(impl_->cr, x2, y2);
  cairo_stroke(impl_->cr);
}

void PngCanvas::circle(double cx, double cy, double r, Color fill) {
  impl_->source(fill);
  cairo_arc(impl_->cr, cx, cy, r, 0, 2 * M_PI);
  cairo_fill(impl_->cr);
}

void PngCanvas::text(double x, double y, const std::string& s, const TextStyle& st) {
  cairo_t* cr = impl_->cr;
  cairo_save(cr);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         st.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, st.size);
  cairo_text_extents_t ext;
  cairo_text_extents(cr, s.c_str(), &ext);
  cairo_translate(cr, x, y);
  if (st.rotate_deg != 0) cairo_rotate(cr, -st.rotate_deg * M_PI / 180.0);
  const double shift = st.anchor == Anchor::start    ? 0
                       : st.anchor == Anchor::middle ? ext.x_advance / 2
                                                     : ext.x_advance;
  cairo_move_to(cr, -shift, 0);
  impl_->source(st.color);
  cairo_show_text(cr, s.c_str());
  cairo_restore(cr);
}

std::string PngCanvas::png() const {
  std::string out;
  cairo_surface_flush(impl_->surface);
  const auto append = [](void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  };
  if (cairo_surface_write_to_png_stream(impl_->surface, append, &out) != CAIRO_STATUS_SUCCESS)
    throw InternalError("cairo could not encode the PNG image");
  return out;
}

}  // namespace calm::report
