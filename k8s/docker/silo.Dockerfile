# The silo image. Build from the repository root:
#   docker build -f k8s/docker/silo.Dockerfile -t matchmaker/silo:TAG .
# Multi-stage: the SDK image publishes, the ASP.NET runtime image runs it as the non-root user
# the .NET images define (APP_UID, 1654), which the manifests' runAsUser matches.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY protocol/ protocol/
COPY grains/ grains/
COPY gateway-udp/ gateway-udp/
COPY relay/ relay/
COPY silo/ silo/
RUN dotnet publish silo/Matchmaker.Silo.csproj -c Release -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
USER $APP_UID
EXPOSE 11111/tcp 30000/tcp 9464/tcp
ENTRYPOINT ["dotnet", "Matchmaker.Silo.dll"]
