use trustmap_model::Model;
use trustmap_model::docker::InstructionKind;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// An `ADD` (also inside `ONBUILD`) whose source is an `http://` or `https://` URL and that
    /// has no `--checksum=sha256:…` flag.
    ///
    /// ## Why it matters
    ///
    /// The build copies into the image whatever the server answers at build time. Whoever
    /// controls that server, its DNS, or (over `http://`) the network path can swap the file
    /// for a backdoored one, and nothing in the build notices. `ADD` also unpacks archives from
    /// local paths implicitly, which makes its behaviour harder to review than `COPY`.
    ///
    /// ## Example
    ///
    /// ```dockerfile
    /// ADD https://releases.example.com/tool-1.4.2-linux-amd64.tar.gz /opt/
    /// ```
    ///
    /// ## Fix
    ///
    /// Pin the content: give `ADD` the expected digest (BuildKit checks it), or download with a
    /// checksum check and `COPY` local files:
    ///
    /// ```dockerfile
    /// ADD --checksum=sha256:5c1d0a…7f3e https://releases.example.com/tool-1.4.2-linux-amd64.tar.gz /opt/
    /// # or
    /// RUN curl -fsSLo /tmp/tool.tgz https://releases.example.com/tool-1.4.2-linux-amd64.tar.gz \
    ///  && echo "5c1d0a…7f3e  /tmp/tool.tgz" | sha256sum -c - \
    ///  && tar -xzf /tmp/tool.tgz -C /opt
    /// ```
    pub(crate) DockerfileAddFromUrl {
        id: "DKR-003",
        name: "dockerfile-add-from-url",
        severity: Medium,
        capability: Iac,
        languages: [Dockerfile],
        equivalents: {
            checkov: ["CKV_DOCKER_4"],
            trivy: ["AVD-DS-0005"],
            cwe: ["CWE-494"],
        },
    }
}

impl Rule for DockerfileAddFromUrl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for d in &model.dockerfiles {
            for inst in super::instructions(d) {
                let InstructionKind::Add(add) = &inst.kind else {
                    continue;
                };
                if add.flag("checksum").is_some() {
                    out.pass_at(d.meta.span);
                    continue;
                }
                let mut clean = true;
                for src in &add.sources {
                    let lower = src.value.to_ascii_lowercase();
                    if lower.starts_with("http://") || lower.starts_with("https://") {
                        clean = false;
                        let message = format!(
                            "`ADD` downloads `{}` without a `--checksum`, so the image takes whatever the server returns",
                            src.value
                        );
                        out.report(&d.meta, src.span, &[], message);
                    }
                }
                if clean {
                    out.pass_at(d.meta.span);
                }
            }
        }
    }
}
