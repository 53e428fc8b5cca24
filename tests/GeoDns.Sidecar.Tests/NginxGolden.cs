namespace GeoDns.Sidecar.Tests;

/// <summary>The built-in edge templates rendered for app.example.com and www.example.com, home at 10.77.0.1, signals at their defaults: what an edge gets.</summary>
public static class NginxGolden
{
    public const string Tls = """
        # Edge nginx, TLS ends here. Rendered by geodns-sidecar from deploy/edge/nginx-tls.conf.template.
        # Traffic goes through the WireGuard tunnel to the home server at 10.77.0.1; the home's
        # address never appears in DNS or in this file's public side.
        # geodns-edge-guard: home 10.77.0.1 80
        # geodns-edge-signals: home 10.77.0.1 port 8055 interval 5 dir /run/geodns-edge-signals log /var/edge/geodns-signals.status
        # geodns-edge-tighten: dir /etc/nginx/geodns-tighten limits limit_req zone=tight burst=50 nodelay;
        user www-data;
        worker_processes auto;
        pid /var/edge/nginx.pid;
        error_log /var/edge/error.log warn;

        events {
            worker_connections 4096;
        }

        http {
            access_log /var/edge/access.log;
            # Edge signals: each response's status and client address alone, written 64 KB at a time, so the home
            # tells rejections here (429) from failures at home (5xx), and sees a flood's top sources, for a few
            # bytes per request. geodns-edge-signals takes the file whole every interval; not *.log, so logrotate
            # leaves it alone.
            log_format signals '$status $remote_addr';
            access_log /var/edge/geodns-signals.status signals buffer=64k flush=1s;
            server_tokens off;
            sendfile on;
            keepalive_timeout 65s;

            # Per client address: a flood from one source is turned away here, before the tunnel. The
            # burst lets a page full of images (a photo gallery loads a hundred thumbnails at once over
            # HTTP/2) through without delay; the rate is what one client may sustain.
            limit_req_zone $binary_remote_addr zone=per_client:10m rate=50r/s;
            # Stricter, only while the home has judged this edge flooded: geodns-edge-tighten writes the line
            # "limit_req zone=tight ..." into /etc/nginx/geodns-tighten/limits.conf for a while, included below.
            limit_req_zone $binary_remote_addr zone=tight:10m rate=10r/s;
            limit_req_status 429;
            limit_conn_status 429;

            # WebSocket (Home Assistant, Jellyfin): "Connection: upgrade" only when the client asks for it,
            # else "" so that the upstream connection stays in the keepalive pool.
            map $http_upgrade $connection_upgrade {
                default upgrade;
                ''      '';
            }

            # Idle connections to the home are kept open: a new TCP handshake through the tunnel per
            # request would add a round trip home for every request.
            upstream home {
                server 10.77.0.1:80;
                keepalive 32;
            }

            server {
                listen 80;
                listen [::]:80;
                server_name app.example.com www.example.com;

                # HTTP-01 challenges are answered by the home, where certbot runs once for every edge:
                # a certificate per disposable edge would soon hit the CA's rate limits.
                location /.well-known/acme-challenge/ {
                    proxy_pass http://home;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $host;
                }

                location / {
                    return 301 https://$host$request_uri;
                }
            }

            server {
                listen 443 ssl http2;
                listen [::]:443 ssl http2;
                server_name app.example.com www.example.com;

                ssl_certificate /var/edge/cert.pem;
                ssl_certificate_key /var/edge/key.pem;
                ssl_protocols TLSv1.2 TLSv1.3;
                ssl_session_cache shared:SSL:10m;
                ssl_session_timeout 1d;

                # Uploads (photos, videos) stream through to the home instead of filling the edge's disk.
                client_max_body_size 1g;
                proxy_request_buffering off;
                add_header Strict-Transport-Security "max-age=31536000" always;

                location / {
                    limit_req zone=per_client burst=200 nodelay;
                    # Nothing here but under a flood (geodns-edge-tighten); a wildcard that matches no file is no error.
                    include /etc/nginx/geodns-tighten/*.conf;
                    proxy_pass http://home;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                    proxy_set_header Host $host;
                    proxy_set_header X-Real-IP $remote_addr;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_set_header X-Forwarded-Host $host;
                    # A dead tunnel answers 502 after this, not after nginx's default 60 s.
                    proxy_connect_timeout 5s;
                    # An idle WebSocket lives this long; an ordinary request rarely waits for it.
                    proxy_read_timeout 1h;
                }
            }

            # Edge signals, for the home only (deploy/edge/README.md): geodns-edge-signals reads stub_status here
            # and writes signals.json, which the home reads through the tunnel. Every address listens, not only
            # the tunnel's, since at boot nginx may start before WireGuard has that address; so only the home's
            # tunnel address (and this edge itself) is let in, and the edge's firewall drops the port from
            # anywhere but the tunnel.
            server {
                listen 8055;
                access_log off;
                allow 127.0.0.1;
                allow 10.77.0.1;
                deny all;

                location = /nginx-status {
                    stub_status;
                }
                location = /signals.json {
                    root /run/geodns-edge-signals;
                    default_type application/json;
                }
                location / {
                    return 404;
                }
            }
        }

        """;

    public const string Passthrough = """
        # Edge nginx, TLS passthrough: TLS ends at the home server, so this edge holds no keys and sees
        # no plaintext. Rendered by geodns-sidecar from deploy/edge/nginx-passthrough.conf.template.
        # The home learns each client's address from the PROXY protocol header: its listeners on
        # 10.77.0.1 need `proxy_protocol` (nginx: `listen 443 ssl proxy_protocol;`).
        # geodns-edge-guard: home 10.77.0.1 443 proxy-protocol
        # geodns-edge-signals: home 10.77.0.1 port 8055 interval 5 dir /run/geodns-edge-signals sources /var/edge/geodns-signals.sources
        # geodns-edge-tighten: dir /etc/nginx/geodns-tighten limits limit_conn tight 8;
        user www-data;
        worker_processes auto;
        pid /var/edge/nginx.pid;
        error_log /var/edge/error.log warn;

        # Debian and Ubuntu ship the stream module as a package (libnginx-mod-stream) enabled here.
        include /etc/nginx/modules-enabled/*.conf;

        events {
            worker_connections 4096;
        }

        stream {
            # Edge signals: each connection's client address alone, written 64 KB at a time, so the home sees a
            # flood's top sources. geodns-edge-signals takes the file whole every interval; not *.log, so
            # logrotate leaves it alone.
            log_format signals $remote_addr;
            access_log /var/edge/geodns-signals.sources signals buffer=64k flush=1s;

            # Only while the home has judged this edge flooded: geodns-edge-tighten writes the line
            # "limit_conn tight ..." into /etc/nginx/geodns-tighten/limits.conf for a while, included in both servers;
            # a wildcard that matches no file is no error.
            limit_conn_zone $binary_remote_addr zone=tight:10m;

            server {
                listen 443;
                listen [::]:443;
                proxy_pass 10.77.0.1:443;
                proxy_protocol on;
                proxy_connect_timeout 5s;
                include /etc/nginx/geodns-tighten/*.conf;
            }

            # Plain HTTP too, so ACME HTTP-01 challenges and the redirect to HTTPS are answered at home.
            server {
                listen 80;
                listen [::]:80;
                proxy_pass 10.77.0.1:80;
                proxy_protocol on;
                proxy_connect_timeout 5s;
                include /etc/nginx/geodns-tighten/*.conf;
            }
        }

        # Edge signals, for the home only (deploy/edge/README.md). TLS ends at home, so this edge sees no HTTP:
        # it reports connections (stub_status counts the stream's too), bytes, packets and SYN-RECV, no
        # statuses. Every address listens, not only the tunnel's, since at boot nginx may start before
        # WireGuard has that address; so only the home's tunnel address (and this edge itself) is let in,
        # and the edge's firewall drops the port from anywhere but the tunnel.
        http {
            access_log off;
            server_tokens off;

            server {
                listen 8055;
                allow 127.0.0.1;
                allow 10.77.0.1;
                deny all;

                location = /nginx-status {
                    stub_status;
                }
                location = /signals.json {
                    root /run/geodns-edge-signals;
                    default_type application/json;
                }
                location / {
                    return 404;
                }
            }
        }

        """;
}
