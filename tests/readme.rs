//! The README and `docs/` are what trainers read instead of the code, so the facts they list
//! are held to the code here: the privilege names with their dependency edges, the shipped
//! roles and agents, the test command CI runs, and the desk's keyboard shortcuts.

use agentdesk::policy::CATALOGUE;

const README: &str = include_str!("../README.md");
const ROLES_PAGE: &str = include_str!("../docs/roles-and-scenarios.md");
const CI: &str = include_str!("../.ci/run");

/// The rows of the privilege table in docs/roles-and-scenarios.md: (name, dependency text).
fn privilege_rows() -> Vec<(String, String)> {
    let section = ROLES_PAGE
        .split("### Privileges")
        .nth(1)
        .expect("docs/roles-and-scenarios.md has a Privileges section");
    let table_end = section.find("\n\n## ").unwrap_or(section.len());
    section[..table_end]
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            (cells[0].trim_matches('`').to_string(), cells[1].to_string())
        })
        .collect()
}

#[test]
fn docs_list_every_privilege_with_its_dependency_and_edge_kind() {
    let rows = privilege_rows();
    assert_eq!(rows.len(), CATALOGUE.len());
    for (info, (name, depends)) in CATALOGUE.iter().zip(&rows) {
        assert_eq!(name, info.name);
        let expected = if info.depends_on.is_empty() {
            "nothing".to_string()
        } else {
            info.depends_on
                .iter()
                .map(|d| format!("`{}` ({})", d.on.name(), d.kind.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        assert_eq!(depends, &expected, "{name}");
    }
}

#[test]
fn readme_test_command_is_the_one_ci_runs() {
    let quick_start = README
        .split("## Quick start")
        .nth(1)
        .expect("README has a Quick start section");
    let command = quick_start
        .lines()
        .filter_map(|l| l.strip_prefix("$ "))
        .find(|c| c.starts_with("cargo test"))
        .expect("Quick start shows the test command");
    assert!(
        CI.lines().any(|l| l.trim() == command),
        "CI does not run `{command}`"
    );
}

/// The first cell of each row of the table that follows `heading` on the roles page.
fn first_cells(heading: &str) -> Vec<String> {
    let section = ROLES_PAGE
        .split(heading)
        .nth(1)
        .unwrap_or_else(|| panic!("docs/roles-and-scenarios.md has \"{heading}\""));
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('`')
                .to_string()
        })
        .collect()
}

#[test]
fn docs_list_the_shipped_roles_and_agents_in_file_order() {
    let book = agentdesk::world::roles::RoleBook::embedded_default();
    let roles: Vec<String> = book.roles.iter().map(|r| r.name.clone()).collect();
    let agents: Vec<String> = book.agents.iter().map(|a| a.name.clone()).collect();
    assert_eq!(first_cells("Its roles:"), roles);
    assert_eq!(first_cells("Its agents"), agents);
    for agent in &agents {
        assert!(README.contains(agent.as_str()), "the README names {agent}");
    }
}

/// The keyboard shortcuts the README lists are the action table's letters
/// (`src/policy/action.rs`): each action with a shortcut appears as "Alt+L" or "L <label>".
#[test]
fn the_readme_lists_every_shortcut_of_the_action_table() {
    use agentdesk::policy::Action;
    let words = README.split_whitespace().collect::<Vec<_>>().join(" ");
    for &action in Action::ALL {
        let Some(letter) = action.spec().shortcut else {
            continue;
        };
        let named = format!("{letter} {}", action.label().to_lowercase());
        assert!(
            words.contains(&format!("Alt+{letter}")) || words.contains(&named),
            "the README's shortcuts lack {letter} for {action}"
        );
    }
}
