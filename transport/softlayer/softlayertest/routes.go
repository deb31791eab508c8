package softlayertest

// Routes lists the REST routes the simulator serves, relative to the
// endpoint ("GET /SoftLayer_Virtual_Guest/*/getObject.json", "*" for an
// id). A method may also be called by name with any verb, left out where
// the verb names it (GET getObject, DELETE deleteObject, PUT editObject,
// POST createObject), and over XML-RPC as POST /{Service}; a method whose
// name is not found is tried with "get" before it, and getX answers the
// property x of an object.
func (s *Server) Routes() []string {
	return []string{
		"GET /SoftLayer_Account/getObject.json",
		"GET /SoftLayer_Account/getVirtualGuests.json",
		"GET /SoftLayer_Account/getHourlyVirtualGuests.json",
		"GET /SoftLayer_Account/getMonthlyVirtualGuests.json",
		"GET /SoftLayer_Account/getHardware.json",
		"GET /SoftLayer_Account/getDomains.json",
		"GET /SoftLayer_Account/getCurrentUser.json",
		"GET /SoftLayer_Virtual_Guest/*/getObject.json",
		"POST /SoftLayer_Virtual_Guest/createObject.json",
		"POST /SoftLayer_Virtual_Guest/createObjects.json",
		"GET /SoftLayer_Virtual_Guest/getCreateObjectOptions.json",
		"PUT /SoftLayer_Virtual_Guest/*/editObject.json",
		"DELETE /SoftLayer_Virtual_Guest/*",
		"POST /SoftLayer_Virtual_Guest/*/powerOff.json",
		"POST /SoftLayer_Virtual_Guest/*/powerOffSoft.json",
		"POST /SoftLayer_Virtual_Guest/*/powerOn.json",
		"POST /SoftLayer_Virtual_Guest/*/rebootSoft.json",
		"POST /SoftLayer_Virtual_Guest/*/rebootHard.json",
		"POST /SoftLayer_Virtual_Guest/*/setTags.json",
		"GET /SoftLayer_Virtual_Guest/*/getPowerState.json",
		"GET /SoftLayer_Hardware_Server/*/getObject.json",
		"GET /SoftLayer_Hardware/*/getObject.json",
		"POST /SoftLayer_Hardware_Server/*/powerOff.json",
		"POST /SoftLayer_Hardware_Server/*/powerOn.json",
		"POST /SoftLayer_Hardware_Server/*/powerCycle.json",
		"POST /SoftLayer_Hardware_Server/*/rebootSoft.json",
		"POST /SoftLayer_Hardware_Server/*/rebootHard.json",
		"POST /SoftLayer_Hardware_Server/*/setTags.json",
		"POST /SoftLayer_Dns_Domain/createObject.json",
		"GET /SoftLayer_Dns_Domain/*/getObject.json",
		"DELETE /SoftLayer_Dns_Domain/*",
		"GET /SoftLayer_Dns_Domain/*/getResourceRecords.json",
		"POST /SoftLayer_Dns_Domain/*/createARecord.json",
		"GET /SoftLayer_Dns_Domain/*/getZoneFileContents.json",
		"POST /SoftLayer_Dns_Domain_ResourceRecord/createObject.json",
		"GET /SoftLayer_Dns_Domain_ResourceRecord/*/getObject.json",
		"PUT /SoftLayer_Dns_Domain_ResourceRecord/*/editObject.json",
		"DELETE /SoftLayer_Dns_Domain_ResourceRecord/*",
		"GET /SoftLayer_Location_Datacenter/getDatacenters.json",
		"GET /SoftLayer_Location_Datacenter/*/getObject.json",
		"GET /SoftLayer_Location/getDatacenters.json",
		"GET /SoftLayer_Product_Package/getAllObjects.json",
		"GET /SoftLayer_Product_Package/*/getObject.json",
		"GET /SoftLayer_Product_Package/*/getItems.json",
		"GET /SoftLayer_Product_Package/*/getItemPrices.json",
	}
}
