require "json"
require "kramdown"
require "kramdown-parser-gfm"
opts = {auto_ids: true, toc_levels: (1..6).to_a, entity_output: "as_char",
        smart_quotes: "lsquo,rsquo,ldquo,rdquo", input: "GFM", hard_wrap: false,
        guess_lang: true, footnote_nr: 1, show_warnings: false, syntax_highlighter: "rouge",
        syntax_highlighter_opts: {"guess_lang" => true}}
out = {}
JSON.parse(STDIN.read).each do |k, v|
  begin
    out[k] = Kramdown::Document.new(v, opts).to_html
  rescue => e
    out[k] = "ERROR #{e}"
  end
end
puts JSON.generate(out)
