//! The ownership and control graph around a decision's parties, read from the report's
//! witnesses: each holding and control link a proof names is an edge, each step a mark on its
//! party for its jurisdiction. Edges a blocking proof rests on carry the jurisdictions whose
//! proof they are in (the highlighted path); the transaction's parties are joined in the order
//! of their roles (the way the payment or goods go).
//!
//! The graph is laid out and drawn in the page (dagre, `templates/vendor/`); it is embedded as
//! JSON and also written out as a table, which prints and reads without the drawing.

use serde::Serialize;

use crate::ownership::witness::{Step, Witness};
use crate::report::{DecisionReport, PartyInRole};

/// The parties and the links between them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Graph {
    /// The transaction's parties first (in the order of their roles), then owners and
    /// controllers in the order the proofs name them.
    pub nodes: Vec<Node>,
    /// Payment links, holdings and control links, each once.
    pub edges: Vec<Edge>,
}

/// A party in the graph.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    /// The party's id.
    pub id: String,
    /// Its name (the id when the report does not name it).
    pub name: String,
    /// Its roles in the transaction (none for an owner outside it).
    pub roles: Vec<String>,
    /// Its status per jurisdiction, where a proof in the report decides it.
    pub marks: Vec<Mark>,
}

/// A party's status under one jurisdiction.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Mark {
    /// The jurisdiction's id.
    pub jurisdiction: String,
    /// `designated`, `blocked`, `not_blocked` or `undetermined`.
    pub status: &'static str,
    /// What decided it: the programs, or the sum against the threshold.
    pub detail: String,
}

/// A link between two parties.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Edge {
    /// The owner, the controller, or the party the transaction comes from.
    pub from: String,
    /// The party owned, controlled, or the transaction goes to.
    pub to: String,
    /// `owns`, `controls` or `flow`.
    pub kind: &'static str,
    /// The share as recorded, the basis of control, or the receiving party's role.
    pub label: String,
    /// The jurisdictions whose blocking proof rests on this link.
    pub witness: Vec<String>,
}

impl Node {
    /// The strongest status among the marks, for the drawing's style: `designated`,
    /// `blocked`, `undetermined`, `not_blocked`, or `none`.
    pub fn strongest(&self) -> &'static str {
        ["designated", "blocked", "undetermined", "not_blocked"]
            .into_iter()
            .find(|s| self.marks.iter().any(|m| m.status == *s))
            .unwrap_or("none")
    }
}

impl Graph {
    /// The graph of one decision: its parties joined in the order of their roles, and every
    /// link and status its outcomes' proofs name.
    pub fn of_decision(r: &DecisionReport) -> Graph {
        let mut g = Graph::default();
        g.transaction(&r.parties);
        for o in &r.jurisdictions {
            for reason in &o.reasons {
                for f in &reason.facts {
                    g.witness(&o.jurisdiction, &f.status);
                }
            }
        }
        g
    }

    /// The transaction's parties, each once with all its roles, joined in the order of their
    /// roles.
    pub fn transaction(&mut self, parties: &[PartyInRole]) {
        let mut previous: Option<&str> = None;
        for p in parties {
            let i = self.node(&p.party, &p.name);
            let role = p.role.as_str().to_string();
            if !self.nodes[i].roles.contains(&role) {
                self.nodes[i].roles.push(role.clone());
            }
            if let Some(from) = previous
                && from != p.party
            {
                self.edge(from, &p.party, "flow", &role, None);
            }
            previous = Some(&p.party);
        }
    }

    /// Every step of a proof: a mark on its party, an edge for each holding and control link
    /// it names (highlighted for `jurisdiction` when the step blocks).
    pub fn witness(&mut self, jurisdiction: &str, w: &Witness) {
        for step in std::iter::once(&w.head).chain(&w.because) {
            self.step(jurisdiction, step);
        }
    }

    fn step(&mut self, j: &str, step: &Step) {
        let party = step.party();
        let (status, detail) = match step {
            Step::Designated { designations, .. } => {
                let programs: Vec<&str> = designations
                    .iter()
                    .filter(|d| d.blocking)
                    .map(|d| d.program.as_str())
                    .collect();
                ("designated", programs.join(", "))
            }
            Step::Owned {
                holdings,
                sum,
                comparison,
                threshold,
                ..
            } => {
                for h in holdings {
                    self.edge(&h.owner, party, "owns", &h.share, Some(j));
                }
                ("blocked", format!("{sum} {comparison} {threshold}"))
            }
            Step::Controlled {
                controller, basis, ..
            } => {
                self.edge(controller, party, "controls", basis, Some(j));
                ("blocked", format!("controlled by {controller}"))
            }
            Step::NotBlocked {
                blocked_holdings,
                sum,
                controlled_by,
                ..
            } => {
                for h in blocked_holdings {
                    self.edge(&h.owner, party, "owns", &h.share, None);
                }
                for c in controlled_by {
                    self.edge(c, party, "controls", "control", None);
                }
                let detail = if blocked_holdings.is_empty() {
                    String::new()
                } else {
                    format!("blocked holdings {sum}")
                };
                ("not_blocked", detail)
            }
            Step::Undetermined {
                known_sum,
                possible_sum,
                ..
            } => ("undetermined", format!("{known_sum} to {possible_sum}")),
        };
        let i = self.node(party, party);
        let node = &mut self.nodes[i];
        if !node.marks.iter().any(|m| m.jurisdiction == j) {
            node.marks.push(Mark {
                jurisdiction: j.to_string(),
                status,
                detail,
            });
        }
    }

    /// The index of the node of `id`, added (named `name`) if new.
    fn node(&mut self, id: &str, name: &str) -> usize {
        match self.nodes.iter().position(|n| n.id == id) {
            Some(i) => i,
            None => {
                self.nodes.push(Node {
                    id: id.to_string(),
                    name: name.to_string(),
                    roles: Vec::new(),
                    marks: Vec::new(),
                });
                self.nodes.len() - 1
            }
        }
    }

    /// Adds the link once; `witness` adds a jurisdiction whose blocking proof rests on it.
    fn edge(
        &mut self,
        from: &str,
        to: &str,
        kind: &'static str,
        label: &str,
        witness: Option<&str>,
    ) {
        self.node(from, from);
        self.node(to, to);
        let i = match self
            .edges
            .iter()
            .position(|e| e.from == from && e.to == to && e.kind == kind && e.label == label)
        {
            Some(i) => i,
            None => {
                self.edges.push(Edge {
                    from: from.to_string(),
                    to: to.to_string(),
                    kind,
                    label: label.to_string(),
                    witness: Vec::new(),
                });
                self.edges.len() - 1
            }
        };
        if let Some(j) = witness
            && !self.edges[i].witness.iter().any(|x| x == j)
        {
            self.edges[i].witness.push(j.to_string());
        }
    }

    /// Whether any link is a holding or a control link (not only the transaction's path).
    pub fn has_ownership(&self) -> bool {
        self.edges.iter().any(|e| e.kind != "flow")
    }

    /// The graph as JSON for the page's script, safe inside a `<script>` element.
    pub fn json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|_| "{\"nodes\":[],\"edges\":[]}".into())
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026")
    }
}
