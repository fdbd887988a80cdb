using System.Globalization;
using k8s.Models;
using Matchmaker.Tests.Infrastructure;

namespace Matchmaker.Tests.Kubernetes;

/// <summary>The operating rules the manifests promise (k8s/README.md), checked on every rendered overlay.</summary>
public sealed class ManifestRulesTests
{
    public static TheoryData<string> Overlays => ["dev", "production"];

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Silos_roll_one_up_before_one_down_and_outlive_their_shutdown_timeout(string overlay)
    {
        var silo = (await RenderedOverlay.LoadAsync(overlay)).Single<V1Deployment>("matchmaker-silo");

        Assert.Equal("RollingUpdate", silo.Spec.Strategy.Type);
        Assert.Equal("0", silo.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);
        var container = Assert.Single(silo.Spec.Template.Spec.Containers);
        var shutdown = int.Parse(Env(container, "DOTNET_SHUTDOWNTIMEOUTSECONDS").Value, CultureInfo.InvariantCulture);
        Assert.True(silo.Spec.Template.Spec.TerminationGracePeriodSeconds > shutdown);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Silos_use_Kubernetes_hosting_with_identity_from_the_downward_API(string overlay)
    {
        var silo = (await RenderedOverlay.LoadAsync(overlay)).Single<V1Deployment>("matchmaker-silo");
        var container = Assert.Single(silo.Spec.Template.Spec.Containers);
        var labels = silo.Spec.Template.Metadata.Labels;

        Assert.Equal("AdoNet", Env(container, "Orleans__Clustering").Value);
        Assert.Equal("true", Env(container, "Orleans__KubernetesHosting").Value);
        Assert.Equal("false", Env(container, "Gateway__Enabled").Value);
        Assert.Equal("metadata.name", Env(container, "POD_NAME").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.namespace", Env(container, "POD_NAMESPACE").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("status.podIP", Env(container, "POD_IP").ValueFrom.FieldRef.FieldPath);
        // The ids come from the pod's own labels, which Orleans' Kubernetes hosting also matches pods by.
        Assert.Equal("metadata.labels['orleans/serviceId']", Env(container, "ORLEANS_SERVICE_ID").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.labels['orleans/clusterId']", Env(container, "ORLEANS_CLUSTER_ID").ValueFrom.FieldRef.FieldPath);
        Assert.True(labels.ContainsKey("orleans/serviceId") && labels.ContainsKey("orleans/clusterId"));
        Assert.Equal("matchmaker-silo", silo.Spec.Template.Spec.ServiceAccountName);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Gateways_and_relays_join_the_cluster_the_silos_form(string overlay)
    {
        var rendered = await RenderedOverlay.LoadAsync(overlay);
        var siloLabels = rendered.Single<V1Deployment>("matchmaker-silo").Spec.Template.Metadata.Labels;
        var clients = new[]
        {
            rendered.Single<V1DaemonSet>("matchmaker-gateway").Spec.Template.Spec,
            rendered.Single<V1Deployment>("matchmaker-relay").Spec.Template.Spec,
        };

        foreach (var pod in clients)
        {
            var container = Assert.Single(pod.Containers);
            Assert.True(pod.HostNetwork);
            Assert.Equal(siloLabels["orleans/clusterId"], Env(container, "Orleans__ClusterId").Value);
            Assert.Equal(siloLabels["orleans/serviceId"], Env(container, "Orleans__ServiceId").Value);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_long_running_process_has_split_probes_requests_and_a_non_root_user(string overlay)
    {
        var rendered = await RenderedOverlay.LoadAsync(overlay);

        foreach (var (owner, template) in rendered.PodTemplates().Where(t => t.Owner.Contains("matchmaker-", StringComparison.Ordinal) && !t.Owner.Contains("postgres", StringComparison.Ordinal)))
        {
            foreach (var container in template.Spec.Containers)
            {
                Assert.True(container.Resources?.Requests?.ContainsKey("cpu") == true && container.Resources.Requests.ContainsKey("memory"), $"{owner}: no resource requests");
                Assert.True(template.Spec.SecurityContext?.RunAsNonRoot == true, $"{owner}: may run as root");
                Assert.False(container.SecurityContext?.AllowPrivilegeEscalation ?? true, $"{owner}: privilege escalation allowed");
                if (owner.StartsWith("Job/", StringComparison.Ordinal))
                {
                    continue;
                }

                // Liveness must never depend on grains or the database; readiness must.
                Assert.Equal("/health/live", container.LivenessProbe.HttpGet.Path);
                Assert.Equal("/health/ready", container.ReadinessProbe.HttpGet.Path);
                var shutdown = int.Parse(Env(container, "DOTNET_SHUTDOWNTIMEOUTSECONDS").Value, CultureInfo.InvariantCulture);
                Assert.True(template.Spec.TerminationGracePeriodSeconds > shutdown, $"{owner}: killed before its shutdown timeout ends");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_database_connection_comes_from_a_secret_everywhere(string overlay)
    {
        var rendered = await RenderedOverlay.LoadAsync(overlay);

        var users = rendered.PodTemplates().Where(t => !t.Owner.Contains("postgres", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, users.Count);
        foreach (var (owner, template) in users)
        {
            var reference = Env(Assert.Single(template.Spec.Containers), "ConnectionStrings__Orleans").ValueFrom?.SecretKeyRef;
            Assert.True(reference is not null, $"{owner}: connection string not from a Secret");
            Assert.StartsWith("matchmaker-postgres", reference.Name, StringComparison.Ordinal);
            Assert.Equal("connection-string", reference.Key);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Disruption_budgets_cover_silos_and_relays_and_migrate_runs_the_migrate_verb(string overlay)
    {
        var rendered = await RenderedOverlay.LoadAsync(overlay);

        foreach (var name in new[] { "matchmaker-silo", "matchmaker-relay" })
        {
            var budget = rendered.Single<V1PodDisruptionBudget>(name);
            var pods = rendered.Single<V1Deployment>(name).Spec.Template.Metadata.Labels;
            Assert.All(budget.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, pods[label.Key]));
            Assert.Equal("1", budget.Spec.MaxUnavailable.Value);
        }

        var migrate = rendered.Single<V1Job>("matchmaker-migrate").Spec.Template.Spec.Containers.Single();
        Assert.Equal(["migrate"], migrate.Args);
        Assert.Equal(rendered.Single<V1Deployment>("matchmaker-silo").Spec.Template.Spec.Containers.Single().Image, migrate.Image);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_service_monitor_scrapes_every_process_and_the_dashboard_is_provisioned(string overlay)
    {
        var rendered = await RenderedOverlay.LoadAsync(overlay);
        var monitor = rendered.All<ServiceMonitor>().Single();

        foreach (var name in new[] { "matchmaker-silo", "matchmaker-gateway", "matchmaker-relay" })
        {
            var service = rendered.Single<V1Service>(name);
            Assert.All(monitor.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, service.Metadata.Labels[label.Key]));
            Assert.Contains(service.Spec.Ports, p => p.Name == monitor.Spec.Endpoints.Single().Port);
            // The dashboard's queries name jobs by this label.
            Assert.Equal(name, service.Metadata.Labels[monitor.Spec.JobLabel!]);
        }

        var dashboard = rendered.All<V1ConfigMap>().Single(c => c.Metadata.Labels?.ContainsKey("grafana_dashboard") == true);
        Assert.Equal(
            await File.ReadAllTextAsync(RepositoryRoot.Combine("k8s", "base", "dashboards", "matchmaker.json")),
            dashboard.Data["matchmaker.json"]);
    }

    private static V1EnvVar Env(V1Container container, string name) =>
        container.Env.SingleOrDefault(e => e.Name == name) ?? throw new InvalidOperationException($"{container.Name} has no {name}");
}
