#include "cli/docs.h"

#include <cstdio>
#include <cstring>
#include <sstream>

namespace mm::cli {
namespace {

std::vector<const CLI::App*> Commands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App*) { return true; });
}

std::vector<const CLI::Option*> Options(const CLI::App& app) {
  return app.get_options([](const CLI::Option*) { return true; });
}

// "-e, --environment" or "VERSION".
std::string Names(const CLI::Option& o) {
  if (o.get_positional()) return o.get_name();
  std::string out;
  for (const std::string& s : o.get_snames()) out += (out.empty() ? "-" : ", -") + s;
  for (const std::string& l : o.get_lnames()) out += (out.empty() ? "--" : ", --") + l;
  return out;
}

// Every name an option is typed as: "-e", "--environment".
std::vector<std::string> Spellings(const CLI::Option& o) {
  std::vector<std::string> out;
  for (const std::string& s : o.get_snames()) out.push_back("-" + s);
  for (const std::string& l : o.get_lnames()) out.push_back("--" + l);
  return out;
}

bool TakesValue(const CLI::Option& o) { return o.get_items_expected_max() > 0; }

// The values an option accepts when its validator lists them ("TEXT:{json,js}" → json, js).
std::vector<std::string> Choices(const CLI::Option& o) {
  const std::string type = o.get_type_name();
  const size_t open = type.find('{');
  const size_t close = type.find('}', open);
  std::vector<std::string> out;
  if (open == std::string::npos || close == std::string::npos) return out;
  std::stringstream list(type.substr(open + 1, close - open - 1));
  for (std::string item; std::getline(list, item, ',');) {
    item.erase(0, item.find_first_not_of(' '));
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// What the man page calls an option's value: "json|js", or NUMBER for "INT:NUMBER".
std::string ValueName(const CLI::Option& o) {
  const std::vector<std::string> choices = Choices(o);
  if (!choices.empty()) {
    std::string out;
    for (const std::string& c : choices) out += (out.empty() ? "" : "|") + c;
    return out;
  }
  const std::string type = o.get_type_name();
  const size_t colon = type.rfind(':');
  return colon == std::string::npos ? type : type.substr(colon + 1);
}

bool IsPath(const CLI::Option& o) {
  const std::string name = o.get_name();
  return name == "--dir" || name == "--env-file" || name == "--dbpath" || name == "--commandLog";
}

// Text for roff: a backslash is \e, a hyphen \-, a line never starts with a control character.
std::string Roff(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

void OptionEntries(std::ostringstream& out, const std::vector<const CLI::Option*>& options) {
  for (const CLI::Option* o : options) {
    out << ".TP\n.B " << Roff(Names(*o));
    if (TakesValue(*o) && !o->get_positional()) out << " \\fI" << Roff(ValueName(*o)) << "\\fR";
    out << "\n" << Roff(o->get_description());
    if (!o->get_default_str().empty()) out << " (default: " << Roff(o->get_default_str()) << ")";
    out << "\n";
  }
}

std::string Synopsis(const CLI::App& command) {
  std::string out;
  for (const CLI::Option* o : Options(command)) {
    if (o->get_positional())
      out += (o->get_required() ? " " : " [") + o->get_name() + (o->get_required() ? "" : "]");
  }
  return out;
}

// The shell's name for a word list: "up down redo".
std::string Words(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::vector<std::string> OptionWords(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::Option* o : Options(app)) {
    for (const std::string& s : Spellings(*o)) out.push_back(s);
  }
  return out;
}

std::string ShellName(const std::string& program) {
  std::string out = "_";
  for (char c : program) out += (c == '-' ? '_' : c);
  return out;
}

// 'text' for a shell, with any ' closed and reopened.
std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// zsh's _arguments spec of one option: '(-e --environment)'{-e,--environment}'[…]:value:(a b)'.
std::string ZshSpec(const CLI::Option& o) {
  std::string description = o.get_description();
  for (char& c : description) {
    if (c == '[' || c == ']' || c == ':') c = ' ';
  }
  const std::vector<std::string> names = Spellings(o);
  std::string value;
  if (TakesValue(o)) {
    const std::vector<std::string> choices = Choices(o);
    value = ":value:" + (choices.empty() ? (IsPath(o) ? std::string("_files") : std::string(" "))
                                         : "(" + Words(choices) + ")");
  }
  std::string out;
  for (const std::string& n : names) {
    out += " " + Quoted(n + "[" + description + "]" + value);
  }
  return out;
}

}  // namespace

std::string ManPage(const CLI::App& app, const ManPageText& text) {
  std::ostringstream out;
  std::string upper;
  for (char c : text.name) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  out << ".\\\" Generated from the program's command-line definition (src/cli/docs.cc).\n";
  out << ".TH " << upper << " 1 \"\" \"" << Roff(text.version) << "\" \"User Commands\"\n";
  out << ".SH NAME\n" << Roff(text.name) << " \\- " << Roff(text.summary) << "\n";
  out << ".SH SYNOPSIS\n.B " << Roff(text.name) << "\n";
  const auto commands = Commands(app);
  out << (commands.empty() ? "[\\fIOPTIONS\\fR]\n"
                           : "[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n");
  out << ".SH DESCRIPTION\n" << Roff(app.get_description()) << "\n";
  if (!commands.empty()) {
    out << ".SH COMMANDS\n";
    for (const CLI::App* command : commands) {
      out << ".TP\n.B " << Roff(command->get_name() + Synopsis(*command)) << "\n"
          << Roff(command->get_description()) << "\n";
      std::vector<const CLI::Option*> own;
      for (const CLI::Option* o : Options(*command)) {
        if (o->get_name() != "--help") own.push_back(o);
      }
      if (!own.empty()) {
        out << ".RS\n";
        OptionEntries(out, own);
        out << ".RE\n";
      }
    }
  }
  out << ".SH " << (commands.empty() ? "OPTIONS" : "GLOBAL OPTIONS") << "\n";
  out << (commands.empty() ? "" : "Before or after the command.\n");
  OptionEntries(out, Options(app));
  // A paragraph of several lines is a term (its first line) and what it means; a one-line
  // paragraph is text.
  for (const auto& [title, body] : text.sections) {
    out << ".SH " << Roff(title) << "\n";
    std::vector<std::string> paragraph;
    auto flush = [&] {
      if (paragraph.size() == 1) out << ".PP\n" << Roff(paragraph[0]) << "\n";
      if (paragraph.size() > 1) {
        out << ".TP\n.B " << Roff(paragraph[0]) << "\n";
        for (size_t i = 1; i < paragraph.size(); ++i) out << Roff(paragraph[i]) << "\n";
      }
      paragraph.clear();
    };
    std::istringstream lines(body);
    for (std::string line; std::getline(lines, line);) {
      if (line.empty()) {
        flush();
      } else {
        paragraph.push_back(line);
      }
    }
    flush();
  }
  if (!text.see_also.empty()) {
    out << ".SH SEE ALSO\n";
    for (size_t i = 0; i < text.see_also.size(); ++i) {
      const std::string& ref = text.see_also[i];
      const size_t paren = ref.find('(');
      out << ".BR " << Roff(ref.substr(0, paren)) << " " << ref.substr(paren)
          << (i + 1 < text.see_also.size() ? " ,\n" : "\n");
    }
  }
  return out.str();
}

std::string BashCompletion(const CLI::App& app) {
  const std::string fn = ShellName(app.get_name());
  std::ostringstream out;
  out << "# bash completion for " << app.get_name()
      << ", generated from its command-line definition (src/cli/docs.cc).\n";
  out << fn << "() {\n";
  out << "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} command= i\n";
  std::vector<std::string> names;
  for (const CLI::App* c : Commands(app)) names.push_back(c->get_name());
  out << "  local commands=" << Quoted(Words(names)) << "\n";
  out << "  local global=" << Quoted(Words(OptionWords(app))) << "\n";
  out << "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      << "    case \" $commands \" in *\" ${COMP_WORDS[i]} \"*) command=${COMP_WORDS[i]}; break ;; "
         "esac\n"
      << "  done\n";
  // An option's value: its choices, or files.
  out << "  case $prev in\n";
  std::vector<const CLI::Option*> all = Options(app);
  for (const CLI::App* c : Commands(app)) {
    for (const CLI::Option* o : Options(*c)) all.push_back(o);
  }
  for (const CLI::Option* o : all) {
    if (!TakesValue(*o) || o->get_positional()) continue;
    const std::vector<std::string> choices = Choices(*o);
    std::string pattern;
    for (const std::string& s : Spellings(*o)) pattern += (pattern.empty() ? "" : "|") + s;
    if (!choices.empty()) {
      out << "    " << pattern << ") COMPREPLY=($(compgen -W " << Quoted(Words(choices))
          << " -- \"$cur\")); return ;;\n";
    } else if (IsPath(*o)) {
      out << "    " << pattern << ") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n";
    } else {
      out << "    " << pattern << ") return ;;\n";
    }
  }
  out << "  esac\n";
  out << "  local words=\"$global\"\n";
  out << "  case $command in\n";
  out << "    '') words=\"$commands $global\" ;;\n";
  for (const CLI::App* c : Commands(app)) {
    out << "    " << c->get_name() << ") words=" << Quoted(Words(OptionWords(*c)))
        << "\" $global\" ;;\n";
  }
  out << "  esac\n";
  out << "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n";
  out << "}\n";
  out << "complete -F " << fn << " " << app.get_name() << "\n";
  return out.str();
}

std::string ZshCompletion(const CLI::App& app) {
  const std::string fn = ShellName(app.get_name());
  std::ostringstream out;
  out << "#compdef " << app.get_name() << "\n";
  out << "# zsh completion for " << app.get_name()
      << ", generated from its command-line definition (src/cli/docs.cc).\n";
  out << fn << "() {\n";
  out << "  local -a global commands\n";
  out << "  global=(";
  for (const CLI::Option* o : Options(app)) {
    if (!o->get_positional()) out << ZshSpec(*o);
  }
  out << ")\n";
  const auto commands = Commands(app);
  if (commands.empty()) {
    out << "  _arguments -s $global\n}\n" << fn << " \"$@\"\n";
    return out.str();
  }
  out << "  commands=(";
  for (const CLI::App* c : commands) {
    std::string description = c->get_description();
    for (char& ch : description) {
      if (ch == ':') ch = ' ';
    }
    out << " " << Quoted(c->get_name() + ":" + description);
  }
  out << ")\n";
  out << "  local curcontext=$curcontext state line\n";
  out << "  _arguments -C $global '1:command:->command' '*::argument:->argument'\n";
  out << "  case $state in\n";
  out << "    command) _describe command commands ;;\n";
  out << "    argument)\n      case $words[1] in\n";
  for (const CLI::App* c : commands) {
    out << "        " << c->get_name() << ") _arguments $global";
    for (const CLI::Option* o : Options(*c)) {
      if (!o->get_positional()) out << ZshSpec(*o);
    }
    out << " ;;\n";
  }
  out << "      esac ;;\n  esac\n}\n" << fn << " \"$@\"\n";
  return out.str();
}

int GenerateDocs(const CLI::App& app, const ManPageText& text, int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--man-page") == 0) {
    std::fputs(ManPage(app, text).c_str(), stdout);
    return 0;
  }
  if (argc == 3 && std::strcmp(argv[1], "--completion") == 0) {
    const std::string shell = argv[2];
    if (shell == "bash") {
      std::fputs(BashCompletion(app).c_str(), stdout);
      return 0;
    }
    if (shell == "zsh") {
      std::fputs(ZshCompletion(app).c_str(), stdout);
      return 0;
    }
    std::fprintf(stderr, "error: --completion takes bash or zsh\n");
    return 2;
  }
  return -1;
}

}  // namespace mm::cli
