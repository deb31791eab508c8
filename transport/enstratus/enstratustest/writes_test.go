package enstratustest

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus/transport/enstratus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// launchOne launches one server from a launch entry and returns the job id.
func launchOne(t *testing.T, c *tc, entry string) int64 {
	t.Helper()
	r := c.do("POST", "infrastructure/Server", `{"launch":[`+entry+`]}`)
	require.Equal(t, http.StatusAccepted, r.status, "body: %s", r.body)
	ids := enstratus.Jobs(r.json)
	require.Len(t, ids, 1)
	return ids[0]
}

func jobPath(id int64) string { return "admin/Job/" + strconv.FormatInt(id, 10) }

func TestLaunchLifecycle(t *testing.T) {
	c := newTC(t, Config{})
	before := c.srv.ServerIDs()
	r := c.do("POST", "infrastructure/Server", `{"launch":[{"productId":"m1.small","machineImage":{"machineImageId":286443},"description":"web node","name":"web-1","dataCenter":{"dataCenterId":64352},"firewalls":[{"firewallId":125571}],"label":"blue"}]}`)
	require.Equal(t, http.StatusAccepted, r.status, "body: %s", r.body)
	jobs := r.json.Get("jobs").Array()
	require.Len(t, jobs, 1)
	assert.Len(t, jobs[0].Map(), 2, "only jobId and status: %s", r.body)
	assert.Equal(t, "RUNNING", jobs[0].Get("status").String())
	jobID := jobs[0].Get("jobId").Int()
	assert.Equal(t, int64(76116), jobID, "after the last job of mixcoatl's test data, 76115")

	job := one(t, c.get(jobPath(jobID)), "jobs")
	assert.Equal(t, "RUNNING", job.Get("status").String())
	assert.Equal(t, "Launch Server web-1", job.Get("description").String())
	assert.Equal(t, "", job.Get("message").String())
	assert.Equal(t, "2013-01-01T00:00:00.000+0000", job.Get("startDate").String())
	assert.Equal(t, "null", job.Get("endDate").Raw)

	after := c.srv.ServerIDs()
	require.Len(t, after, len(before)+1)
	newID := after[len(after)-1]
	srv := one(t, c.get("infrastructure/Server/"+strconv.FormatInt(newID, 10)), "servers")
	assert.Equal(t, "PENDING", srv.Get("status").String())
	assert.False(t, srv.Get("publicIpAddress").Exists())
	assert.Equal(t, "PENDING", c.srv.ServerStatus(newID))

	c.srv.Advance(9 * time.Second)
	assert.Equal(t, "RUNNING", one(t, c.get(jobPath(jobID)), "jobs").Get("status").String())
	assert.Equal(t, 1, c.srv.PendingJobs())
	c.srv.Advance(time.Second)
	job = one(t, c.get(jobPath(jobID)), "jobs")
	assert.Equal(t, "COMPLETE", job.Get("status").String())
	assert.Equal(t, strconv.FormatInt(newID, 10), job.Get("message").String(), "the message carries the new server id")
	assert.Equal(t, "2013-01-01T00:00:10.000+0000", job.Get("endDate").String())
	assert.Equal(t, 0, c.srv.PendingJobs())

	c.details = "basic"
	srv = one(t, c.get("infrastructure/Server/"+job.Get("message").String()), "servers")
	assert.Equal(t, "RUNNING", srv.Get("status").String())
	assert.Equal(t, "web-1", srv.Get("name").String())
	assert.Equal(t, "web node", srv.Get("description").String())
	assert.Equal(t, "blue", srv.Get("label").String())
	assert.Equal(t, "m1.small", srv.Get("providerProductId").String())
	assert.JSONEq(t, `{"productId":652}`, srv.Get("product").Raw)
	assert.JSONEq(t, `{"regionId":19344}`, srv.Get("region").Raw)
	assert.JSONEq(t, `{"dataCenterId":64352}`, srv.Get("dataCenter").Raw)
	assert.JSONEq(t, `{"machineImageId":286443}`, srv.Get("machineImage").Raw)
	assert.JSONEq(t, `{"cloudId":1}`, srv.Get("cloud").Raw)
	assert.JSONEq(t, `[{"firewallId":125571}]`, srv.Get("firewalls").Raw)
	assert.Equal(t, "UBUNTU", srv.Get("platform").String())
	assert.Equal(t, int64(10287), srv.Get("budget").Int())
	assert.NotEmpty(t, srv.Get("publicIpAddress").String())
	assert.Len(t, srv.Get("privateIpAddresses").Array(), 1)

	// The 2015 form names the product by id; extended detail expands it.
	jobID = launchOne(t, c, `{"product":{"productId":640},"machineImage":{"machineImageId":284436},"description":"lb","name":"lb-2","dataCenter":{"dataCenterId":64351},"budget":10670}`)
	c.srv.CompleteJobs()
	job = one(t, c.get(jobPath(jobID)), "jobs")
	assert.Equal(t, "COMPLETE", job.Get("status").String())
	assert.Equal(t, "2013-01-01T00:00:10.000+0000", job.Get("endDate").String(), "CompleteJobs ends jobs now")
	c.details = ""
	srv = one(t, c.get("infrastructure/Server/"+job.Get("message").String()), "servers")
	assert.Equal(t, "t1.micro", srv.Get("providerProductId").String())
	assert.Equal(t, "32-bit Micro", srv.Get("product.name").String())
	assert.Equal(t, int64(10670), srv.Get("budget").Int())
	assert.Equal(t, "[]", srv.Get("firewalls").Raw)

	// A provider product the region has no product object for is kept as is.
	jobID = launchOne(t, c, `{"productId":"cc2.8xlarge","machineImage":{"machineImageId":286443},"description":"d","name":"big","dataCenter":{"dataCenterId":64352}}`)
	c.srv.CompleteJobs()
	c.details = "basic"
	srv = one(t, c.get("infrastructure/Server/"+one(t, c.get(jobPath(jobID)), "jobs").Get("message").String()), "servers")
	assert.Equal(t, "cc2.8xlarge", srv.Get("providerProductId").String())
	assert.False(t, srv.Get("product").Exists())

	// Several entries, several jobs.
	r = c.do("POST", "infrastructure/Server", `{"launch":[
		{"productId":"m1.small","machineImage":{"machineImageId":286443},"description":"d","name":"a","dataCenter":{"dataCenterId":64352}},
		{"productId":"m1.small","machineImage":{"machineImageId":286443},"description":"d","name":"b","dataCenter":{"dataCenterId":64351}}]}`)
	require.Equal(t, http.StatusAccepted, r.status)
	assert.Len(t, enstratus.Jobs(r.json), 2)
}

func TestLaunchValidation(t *testing.T) {
	c := newTC(t, Config{})
	servers, jobs := len(c.srv.ServerIDs()), len(c.get("admin/Job").json.Get("jobs").Array())
	for body, msg := range map[string]string{
		``:                "A JSON request body is required",
		`{"launch":`:      "The request body is not valid JSON",
		`[1]`:             "The request body must be a JSON object",
		`{"launch":[]}`:   `Expected {"launch":[{...}]}`,
		`{"launch":{}}`:   `Expected {"launch":[{...}]}`,
		`{"launch":[5]}`:  "Each launch entry must be a JSON object",
		`{"launch":[{}]}`: "Missing required fields: name, description, machineImage, dataCenter, product",
		`{"launch":[{"name":"n","description":"d","machineImage":{"machineImageId":286443},"dataCenter":{"dataCenterId":64352}}]}`:                                                       "Missing required fields: product",
		`{"launch":[{"name":"n","description":"d","productId":"m1.small","machineImage":{"machineImageId":1},"dataCenter":{"dataCenterId":64352}}]}`:                                     "No such machine image ID: 1",
		`{"launch":[{"name":"n","description":"d","productId":"m1.small","machineImage":{"machineImageId":286443},"dataCenter":{"dataCenterId":2}}]}`:                                    "No such data center ID: 2",
		`{"launch":[{"name":"n","description":"d","productId":"m1.small","machineImage":{"machineImageId":283735},"dataCenter":{"dataCenterId":64352}}]}`:                                "Machine image 283735 is not available in data center 64352",
		`{"launch":[{"name":"n","description":"d","productId":77,"machineImage":{"machineImageId":286443},"dataCenter":{"dataCenterId":64352}}]}`:                                        "No such server product ID: 77",
		`{"launch":[{"name":"n","description":"d","product":{"productId":9},"machineImage":{"machineImageId":286443},"dataCenter":{"dataCenterId":64352}}]}`:                             "Server product 9 is not available in region 19344",
		`{"launch":[{"name":"n","description":"d","productId":"m1.small","machineImage":{"machineImageId":286443},"dataCenter":{"dataCenterId":64352},"firewalls":[{"firewallId":3}]}]}`: `No such firewall ID: {"firewallId":3}`,
		// One bad entry refuses the whole request.
		`{"launch":[{"name":"n","description":"d","productId":"m1.small","machineImage":{"machineImageId":286443},"dataCenter":{"dataCenterId":64352}},{"name":"n"}]}`: "Missing required fields: description, machineImage, dataCenter, product",
	} {
		requireError(t, c.do("POST", "infrastructure/Server", body), 400, msg)
	}
	assert.Len(t, c.srv.ServerIDs(), servers, "nothing was created")
	assert.Len(t, c.get("admin/Job").json.Get("jobs").Array(), jobs)
}

func TestServerOperations(t *testing.T) {
	c := newTC(t, Config{Servers: 12})
	const id = "331810" // RUNNING in the fixture
	path := "infrastructure/Server/" + id

	r := c.do("PUT", path, `{"pause":[{"reason":"nightly"}]}`)
	require.Equal(t, http.StatusAccepted, r.status, "body: %s", r.body)
	pauseJob := enstratus.Jobs(r.json)[0]
	assert.Equal(t, "Pause Server Sample-Tier-independent-node-0", one(t, c.get(jobPath(pauseJob)), "jobs").Get("description").String())
	// A second operation while the job runs is a conflict.
	requireError(t, c.do("PUT", path, `{"stop":[{}]}`), 409, "Server 331810 has job "+strconv.FormatInt(pauseJob, 10)+" in progress")
	requireError(t, c.do("DELETE", path+"?reason=x", ""), 409, "Server 331810 has job "+strconv.FormatInt(pauseJob, 10)+" in progress")
	assert.Equal(t, "RUNNING", c.srv.ServerStatus(331810), "nothing changes before the job ends")
	// describeServer is applied at once, even while a job runs.
	r = c.do("PUT", path, `{"describeServer":[{"name":"renamed","description":"new words"}]}`)
	assert.Equal(t, http.StatusNoContent, r.status)
	assert.Empty(t, r.body)
	srv := one(t, c.get(path), "servers")
	assert.Equal(t, "renamed", srv.Get("name").String())
	assert.Equal(t, "new words", srv.Get("description").String())

	c.srv.Advance(10 * time.Second)
	srv = one(t, c.get(path), "servers")
	assert.Equal(t, "PAUSED", srv.Get("status").String())
	assert.False(t, srv.Get("publicIpAddress").Exists())
	assert.False(t, srv.Get("privateIpAddresses").Exists())
	assert.Equal(t, "COMPLETE", one(t, c.get(jobPath(pauseJob)), "jobs").Get("status").String())

	requireError(t, c.do("PUT", path, `{"pause":[{}]}`), 409, "Cannot pause server 331810 while it is PAUSED")
	requireError(t, c.do("PUT", path, `{"stop":[{}]}`), 409, "Cannot stop server 331810 while it is PAUSED")

	r = c.do("PUT", path, `{"start":[{}]}`)
	require.Equal(t, http.StatusAccepted, r.status)
	c.srv.Advance(10 * time.Second)
	srv = one(t, c.get(path), "servers")
	assert.Equal(t, "RUNNING", srv.Get("status").String())
	assert.NotEmpty(t, srv.Get("publicIpAddress").String())

	require.Equal(t, http.StatusAccepted, c.do("PUT", path, `{"stop":[{}]}`).status)
	c.srv.CompleteJobs()
	assert.Equal(t, "STOPPED", c.srv.ServerStatus(331810))
	require.Equal(t, http.StatusAccepted, c.do("PUT", path, `{"start":[{}]}`).status)
	c.srv.CompleteJobs()
	assert.Equal(t, "RUNNING", c.srv.ServerStatus(331810))

	for body, msg := range map[string]string{
		`{"reboot":[{}]}`:                  "Unsupported server operation: reboot",
		`{"pause":[{}],"stop":[{}]}`:       "Expected exactly one operation: pause, start, stop or describeServer",
		`{}`:                               "Expected exactly one operation: pause, start, stop or describeServer",
		`{"pause":[]}`:                     "The pause operation needs one entry",
		`{"pause":"now"}`:                  "The pause operation takes an object",
		`{"describeServer":[{}]}`:          "describeServer needs a name, description or label",
		`{"describeServer":[{"name":""}]}`: `Invalid name: ""`,
		`{"describeServer":[{"name":5}]}`:  "Invalid name: 5",
	} {
		requireError(t, c.do("PUT", path, body), 400, msg)
	}
	requireError(t, c.do("PUT", "infrastructure/Server/1", `{"start":[{}]}`), 404, "No such server ID: 1")
}

func TestTerminate(t *testing.T) {
	c := newTC(t, Config{})
	path := "infrastructure/Server/338943"
	requireError(t, c.do("DELETE", path, ""), 400, "A reason is required to terminate a server")
	requireError(t, c.do("DELETE", path+"?reason=", ""), 400, "A reason is required to terminate a server")
	requireError(t, c.do("DELETE", "infrastructure/Server/5?reason=x", ""), 404, "No such server ID: 5")

	r := c.do("DELETE", path+"?reason=no+longer+needed", "")
	require.Equal(t, http.StatusAccepted, r.status, "body: %s", r.body)
	jobID := enstratus.Jobs(r.json)[0]
	assert.Equal(t, "RUNNING", c.srv.ServerStatus(338943))
	c.srv.Advance(10 * time.Second)
	job := one(t, c.get(jobPath(jobID)), "jobs")
	assert.Equal(t, "COMPLETE", job.Get("status").String())
	assert.Equal(t, "Terminate Server application-0-1357615465344", job.Get("description").String())
	srv := one(t, c.get(path), "servers")
	assert.Equal(t, "TERMINATED", srv.Get("status").String(), "still readable")
	assert.False(t, srv.Get("publicIpAddress").Exists())
	assert.Contains(t, c.srv.ServerIDs(), int64(338943))

	requireError(t, c.do("DELETE", path+"?reason=again", ""), 409, "Server 338943 is terminated")
	requireError(t, c.do("PUT", path, `{"start":[{}]}`), 409, "Server 338943 is terminated")
	requireError(t, c.do("PUT", path, `{"describeServer":[{"name":"x"}]}`), 409, "Server 338943 is terminated")
}

func TestFailNextJobs(t *testing.T) {
	c := newTC(t, Config{JobDuration: time.Minute})
	c.srv.FailNextJobs(2)
	jobID := launchOne(t, c, `{"productId":"m1.small","machineImage":{"machineImageId":286443},"description":"d","name":"doomed","dataCenter":{"dataCenterId":64352}}`)
	newID := c.srv.ServerIDs()[len(c.srv.ServerIDs())-1]
	r := c.do("PUT", "infrastructure/Server/338942", `{"stop":[{}]}`)
	require.Equal(t, http.StatusAccepted, r.status)
	stopJob := enstratus.Jobs(r.json)[0]
	okJob := launchOne(t, c, `{"productId":"m1.small","machineImage":{"machineImageId":286443},"description":"d","name":"fine","dataCenter":{"dataCenterId":64352}}`)

	c.srv.Advance(time.Minute)
	job := one(t, c.get(jobPath(jobID)), "jobs")
	assert.Equal(t, "ERROR", job.Get("status").String())
	assert.NotEmpty(t, job.Get("message").String())
	assert.Equal(t, "TERMINATED", c.srv.ServerStatus(newID), "a failed launch leaves its server terminated")
	assert.Equal(t, "ERROR", one(t, c.get(jobPath(stopJob)), "jobs").Get("status").String())
	assert.Equal(t, "RUNNING", c.srv.ServerStatus(338942), "a failed job has no effect")
	assert.Equal(t, "COMPLETE", one(t, c.get(jobPath(okJob)), "jobs").Get("status").String())
	// The server is free again after a failed job.
	assert.Equal(t, http.StatusAccepted, c.do("PUT", "infrastructure/Server/338942", `{"stop":[{}]}`).status)
}

func TestFirewallRules(t *testing.T) {
	c := newTC(t, Config{})
	r := c.do("POST", "network/FirewallRule", `{"addRule":[{"firewallId":119182,"direction":"ingress","networkAddress":"203.0.113.0/24","protocol":"tcp","startPort":8000,"endPort":8080},
		{"firewall":{"firewallId":119182},"direction":"EGRESS","networkAddress":"0.0.0.0/0","protocol":"ICMP"}]}`)
	require.Equal(t, http.StatusCreated, r.status, "body: %s", r.body)
	rules := r.json.Get("rules").Array()
	require.Len(t, rules, 2)
	assert.Equal(t, "INGRESS", rules[0].Get("direction").String())
	assert.Equal(t, "TCP", rules[0].Get("protocol").String())
	assert.Equal(t, int64(8000), rules[0].Get("startPort").Int())
	assert.Equal(t, "default", rules[0].Get("firewall.name").String(), "extended by default")
	assert.Equal(t, int64(-1), rules[1].Get("startPort").Int())
	id := rules[0].Get("firewallRuleId").String()

	c.details = "basic"
	r = c.do("POST", "network/FirewallRule", `{"firewallId":116385,"direction":"ingress","networkAddress":"10.1.0.0/16","protocol":"udp","startPort":53,"endPort":53}`)
	require.Equal(t, http.StatusCreated, r.status, "body: %s", r.body)
	assert.JSONEq(t, `{"firewallId":116385}`, r.json.Get("rules.0.firewall").Raw)

	list := c.get("network/FirewallRule?firewallId=119182").json.Get("rules.#.firewallRuleId").Array()
	assert.Len(t, list, 3)

	requireError(t, c.do("DELETE", "network/FirewallRule/"+id, ""), 400, "A reason is required to remove a firewall rule")
	assert.Equal(t, http.StatusNoContent, c.do("DELETE", "network/FirewallRule/"+id+"?reason=cleanup", "").status)
	requireError(t, c.get("network/FirewallRule/"+id), 404, "No such firewall rule ID: "+id)
	requireError(t, c.do("DELETE", "network/FirewallRule/"+id+"?reason=x", ""), 404, "No such firewall rule ID: "+id)

	for body, msg := range map[string]string{
		`{"direction":"INGRESS"}`:                "Missing required field: firewallId",
		`{"firewallId":1}`:                       "No such firewall ID: 1",
		`{"firewallId":119182,"direction":"up"}`: "direction must be INGRESS or EGRESS",
		`{"firewallId":119182,"direction":"INGRESS","networkAddress":"anywhere"}`:                                             "networkAddress must be a CIDR block such as 0.0.0.0/0",
		`{"firewallId":119182,"direction":"INGRESS","networkAddress":"0.0.0.0/0","protocol":"GRE"}`:                           "protocol must be TCP, UDP or ICMP",
		`{"firewallId":119182,"direction":"INGRESS","networkAddress":"0.0.0.0/0","protocol":"TCP"}`:                           "startPort and endPort are required for TCP",
		`{"firewallId":119182,"direction":"INGRESS","networkAddress":"0.0.0.0/0","protocol":"TCP","startPort":9,"endPort":1}`: "Invalid port range",
		`{"addRule":[]}`: `Expected {"addRule":[{...}]}`,
	} {
		requireError(t, c.do("POST", "network/FirewallRule", body), 400, msg)
	}
}
